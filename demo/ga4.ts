/**
 * The demo storefront integrated only through a GA4 `dataLayer`, as a store with Google Tag
 * Manager has it: the page never calls track(). Every shopper action is pushed as the GA4
 * e-commerce event a GA4 store sends (view_item_list, select_item, view_item, add_to_cart,
 * remove_from_cart, purchase with its transaction_id, search), each e-commerce push after an
 * `{ ecommerce: null }` that clears the previous one, as GTM recommends. localrec is given the
 * array (`sources: { dataLayer }`) and learns from it in its worker; the picks and the panel are
 * redrawn once diagnostics() says it has read every push.
 */
import { defineRecommendationsElement } from '../src/client/element';
import { createLocalrec, type CatalogItem, type TrackEvent } from '../src/index';
import { app, report } from './app';
import { onDrawerRender } from './diagnostics';
import { $, clock, esc, shopCurrency } from './format';
import { engineOptions, runStorefront } from './storefront';

declare global {
  interface Window { dataLayer?: unknown[] }
}

const dataLayer = (window.dataLayer = window.dataLayer || []);

/** What GTM pushes first on every page; localrec skips it, as it skips every non-e-commerce entry. */
dataLayer.push({ 'gtm.start': Date.now(), event: 'gtm.js' });

const LIST_NAMES: Record<string, string> = { grid: 'Popular products' };

/** One product as GA4's `items` array lists it. */
function ga4Item(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const item: CatalogItem | undefined = app.byId.get(id);
  if (!item) return { item_id: id, ...extra };
  const [category, category2] = item.category;
  return {
    item_id: item.id,
    item_name: item.title,
    ...(item.brand ? { item_brand: item.brand } : {}),
    ...(category ? { item_category: category } : {}),
    ...(category2 ? { item_category2: category2 } : {}),
    price: item.price,
    ...extra,
  };
}

const transactionId = () => `HR-${Date.now().toString(36).toUpperCase()}-${Math.floor(Math.random() * 1e4)}`;

/** The GA4 event a GA4 store sends for the same shopper action; undefined for none. */
function ga4Event(e: TrackEvent): { event: string; ecommerce?: Record<string, unknown>; search_term?: string } | undefined {
  const currency = shopCurrency();
  switch (e.type) {
    case 'impression': {
      const list = e.list ?? 'grid';
      return { event: 'view_item_list', ecommerce: { item_list_id: list, item_list_name: LIST_NAMES[list] ?? list, items: e.itemIds.map((id, index) => ga4Item(id, { index })) } };
    }
    case 'click':
      return { event: 'select_item', ecommerce: { item_list_id: e.list ?? 'grid', items: [ga4Item(e.itemId)] } };
    case 'view': {
      const item = ga4Item(e.itemId);
      return { event: 'view_item', ecommerce: { currency, value: item.price, items: [item] } };
    }
    case 'add_to_cart':
    case 'remove_from_cart': {
      const quantity = e.quantity ?? 1;
      const item = ga4Item(e.itemId, { quantity });
      const value = typeof item.price === 'number' ? Math.round(item.price * quantity * 100) / 100 : undefined;
      return { event: e.type, ecommerce: { currency, ...(value === undefined ? {} : { value }), items: [item] } };
    }
    case 'purchase':
      return {
        event: 'purchase',
        ecommerce: {
          transaction_id: e.orderId ?? transactionId(),
          currency: e.currency ?? currency,
          value: e.value,
          items: e.items.map((l) => ga4Item(l.itemId, { quantity: l.quantity ?? 1, ...(l.price === undefined ? {} : { price: l.price }) })),
        },
      };
    case 'search':
      return { event: 'search', search_term: e.query };
  }
}

interface Pushed { at: number; event: string; detail: string }
/** The last pushes, newest first, for the diagnostics drawer. */
const pushed: Pushed[] = [];

function logPush(entry: ReturnType<typeof ga4Event> & object): void {
  const items = (entry.ecommerce?.items as { item_id: string }[] | undefined) ?? [];
  const detail = entry.search_term !== undefined ? `“${entry.search_term}”`
    : entry.ecommerce?.transaction_id ? `${String(entry.ecommerce.transaction_id)}, ${items.length} lines`
      : items.length === 1 ? items[0]!.item_id : `${items.length} products`;
  pushed.unshift({ at: Date.now(), event: entry.event, detail });
  pushed.length = Math.min(pushed.length, 12);
}

type Counts = { payloads: number; events: number; skipped: number; malformed: number };
const sourceCounts = async (): Promise<Counts | undefined> =>
  ((await app.rec.diagnostics()) as { sources?: { dataLayer?: Counts } }).sources?.dataLayer;

/**
 * Resolves once localrec's worker has read every entry of the dataLayer (its own count of payloads
 * reaches the array's length), so that a profile() or recommend() asked for next sees them; at most
 * 3 s. Before the engine is ready there is nothing to redraw, so it resolves at once.
 */
async function learned(): Promise<void> {
  if (!app.engineReady) return;
  const until = performance.now() + 3000;
  while (performance.now() < until) {
    if (((await sourceCounts())?.payloads ?? 0) >= dataLayer.length) return;
    await new Promise((r) => setTimeout(r, 40));
  }
}

/** The page's only way of telling localrec anything: a push, as GA4 has it. */
async function pushGa4(e: TrackEvent): Promise<void> {
  const entry = ga4Event(e);
  if (!entry) return;
  // GTM merges pushes into one data model: clear the previous ecommerce object first.
  if (entry.ecommerce) dataLayer.push({ ecommerce: null });
  dataLayer.push(entry);
  logPush(entry);
  renderDataLayer();
  await learned();
}

const drawerOpen = () => $<HTMLDialogElement>('#diagnostics').open;

function renderDataLayer(): void {
  $('#diag-more').innerHTML = `<h3>dataLayer log</h3>
    <p class="muted">The last pushes this page made to <code>window.dataLayer</code> (each e-commerce push follows an <code>{ ecommerce: null }</code>). localrec reads them; the page never calls track().</p>
    <dl class="figures" data-testid="datalayer-counts"><dt>Entries in the dataLayer</dt><dd>${dataLayer.length}</dd><dt>Read by localrec</dt><dd id="diag-dl-read"><span class="muted">open this drawer once the engine is ready</span></dd></dl>
    <table id="diag-datalayer"><thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Items</th></tr></thead>
    <tbody>${pushed.map((p) => `<tr><td>${clock(p.at)}</td><td><code>${esc(p.event)}</code></td><td>${esc(p.detail)}</td></tr>`).join('') || '<tr><td colspan="3">No pushes yet.</td></tr>'}</tbody></table>`;
  if (app.engineReady && drawerOpen()) {
    sourceCounts().then((c) => {
      const cell = document.getElementById('diag-dl-read');
      if (cell) cell.textContent = c ? `${c.payloads} entries: ${c.events} events learned, ${c.skipped} skipped (not e-commerce), ${c.malformed} malformed` : 'nothing yet';
    }).catch(report);
  }
}

app.track = pushGa4;
onDrawerRender(renderDataLayer);
runStorefront(() => {
  const rec = createLocalrec({ ...engineOptions('localrec-demo-ga4'), sources: { dataLayer } });
  defineRecommendationsElement(rec);
  return rec;
});
