/**
 * The fixture storefront's script, written as an integrator would: localrec and its adapters
 * from the npm package, bundled by the app's own Vite, running under the strict CSP that
 * server.ts sends. It feeds a GA4 `view_item` push through `localrec/adapters`, asks for
 * recommendations, lists them, and writes the outcome as JSON into #result for the spec; the
 * page's `<localrec-recommendations>` tag is defined from `localrec/element`.
 *
 * (.mts, not .ts: the repository's tsconfig.node.json checks e2e/**\/*.ts, where `localrec`
 * only resolves once the spec has installed the tarball. The spec type-checks this file against
 * the installed package instead, with ./tsconfig.json.)
 */
import { createLocalrec, LocalrecError, type Recommendation } from 'localrec';
import { readDataLayer } from 'localrec/adapters';
import { defineRecommendationsElement } from 'localrec/element';

const result = document.querySelector<HTMLElement>('#result')!;
const list = document.querySelector<HTMLOListElement>('#recs')!;

function show(items: readonly Recommendation[]): void {
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement('li');
      li.textContent = `${item.id}: ${item.reasons[0]?.text ?? ''}`;
      return li;
    }),
  );
}

async function main(): Promise<void> {
  const rec = createLocalrec({ catalog: '/catalog.json', dbName: 'localrec-fixture-app' });
  // The page's <localrec-recommendations> strip, drawn with its default template.
  defineRecommendationsElement(rec);
  const info = await rec.ready();
  // What a store's tag manager already pushes when a product page opens.
  const events = readDataLayer([{ event: 'view_item', ecommerce: { currency: 'GBP', items: [{ item_id: '85123A', price: 2.95 }] } }]);
  for (const event of events) await rec.track(event);
  const { items, backend } = await rec.recommend({ k: 5 });
  show(items);
  result.textContent = JSON.stringify({ items: info.items, backend: info.backend, tracked: events, recommended: items.map((i) => i.id), rankedOn: backend });
  result.dataset.state = 'done';
}

main().catch((e: unknown) => {
  result.textContent = e instanceof LocalrecError ? `${e.code}: ${e.message}` : String(e);
  result.dataset.state = 'failed';
});
