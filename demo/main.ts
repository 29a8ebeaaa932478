/**
 * The demo storefront: a product grid on the UCI Online Retail catalog, wired to localrec.
 * Every click, add-to-cart, search and checkout is a `track()` call; the "Recommended for you"
 * strip and the side panel re-render after each one.
 */
import { createLocalrec, LocalrecError, type AffinityView, type CatalogItem, type CatalogJson, type Recommendation } from '../src/index';
import { bars, gauge, sparkline } from './charts';

const $ = <T extends HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const rec = createLocalrec({
  catalog: new URL('catalog.json', location.href).href,
  bundle: new URL('session-bundle.bin', location.href).href,
  lifecycle: new URL('lifecycle-params.json', location.href).href,
  purchaseModel: new URL('purchase-model.json', location.href).href,
  dbName: 'localrec-demo',
  onProgress(p) {
    const bar = $<HTMLProgressElement>('#progress progress');
    const label = $('#progress span');
    if (p.status === 'progress') {
      bar.value = p.total ? p.loaded / p.total : 0.5;
      label.textContent = `Loading catalog… ${(p.loaded / 1024).toFixed(0)} KB`;
    } else if (p.status === 'ready') {
      $('#progress').hidden = true;
    }
  },
});
// For QA and the end-to-end tests: the live instance.
Object.assign(window, { localrecDemo: { rec } });

let catalog: CatalogItem[] = [];
let byId = new Map<string, CatalogItem>();
let currency = 'GBP';
let category: string | undefined;
let query = '';
let lastRecommend = { tookMs: 0, backend: '' };
// P(purchase) after each event of this visit, for the sparkline.
const purchaseHistory: number[] = [];

// A lifecycle team would trigger its retention offer here; the demo just shows the change.
rec.onStageChange(({ from, to }) => {
  if (from === null) return; // the first stage seen is not a change
  const banner = $('#stage-banner');
  banner.hidden = false;
  banner.textContent = `Stage changed: ${from} → ${to}${to === 'at-risk' || to === 'lapsed' ? ' (a retention offer would show now)' : ''}`;
});

const money = (v: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(v);
// A colour per category stands in for product photos (the data set has none).
const hue = (item: CatalogItem) => [...item.category.join()].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);

function card(item: CatalogItem, extra = ''): string {
  return `<div class="swatch" style="background:hsl(${hue(item)} 45% 80%)"></div>
    <div class="title">${esc(item.title)}</div>
    <div class="meta">${esc(item.category.join(' › '))}${item.brand ? ` · ${esc(item.brand)}` : ''}</div>
    <div class="price">${money(item.price)}</div>${extra}`;
}

function renderCategories(): void {
  const names = [...new Set(catalog.map((i) => i.category.join(' > ')))].sort();
  const nav = $('#categories');
  nav.innerHTML = ['All', ...names].map((n) => `<button type="button" data-category="${esc(n)}" aria-pressed="${(category ?? 'All') === n}">${esc(n)}</button>`).join('');
}

function renderGrid(): void {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = catalog
    .filter((i) => i.available && (!category || i.category.join(' > ') === category))
    .filter((i) => words.every((w) => i.title.toLowerCase().includes(w)))
    .sort((a, b) => b.popularity - a.popularity || a.id.localeCompare(b.id))
    .slice(0, 24);
  $('#grid-title').textContent = query ? `Results for “${query}”` : category ?? 'Popular products';
  $('#grid').innerHTML = shown.map((i) => `<li data-id="${esc(i.id)}" data-testid="product">${card(i)}</li>`).join('');
  if (shown.length > 0) void rec.track({ type: 'impression', itemIds: shown.map((i) => i.id), list: 'grid' }).catch(report);
}

async function renderRecs(): Promise<void> {
  const result = await rec.recommend({ k: 8 });
  lastRecommend = { tookMs: result.tookMs, backend: result.backend };
  $('#rec-list').innerHTML = result.items.map((r: Recommendation) => {
    const item = byId.get(r.id)!;
    return `<li data-id="${esc(r.id)}" data-testid="rec" data-category="${esc(item.category.join(' > '))}">${card(item, `<div class="why">${esc(r.reasons[0]?.text ?? '')}</div>`)}</li>`;
  }).join('');
}

async function renderPanel(): Promise<void> {
  const [p, info] = await Promise.all([rec.profile(), rec.ready()]);
  $('#engine').innerHTML = `
    <dt>Backend</dt><dd data-testid="backend">${esc(info.backend.name)}</dd>
    <dt>Measured</dt><dd>${info.backend.measured.map((m) => `${m.name} ${m.ms === null ? '–' : `${m.ms} ms`}`).join(', ')}</dd>
    <dt>Last ranking</dt><dd data-testid="took">${lastRecommend.tookMs} ms for ${info.items} items</dd>
    <dt>Start-up</dt><dd>${info.startupMs} ms</dd>
    <dt>Stored events</dt><dd data-testid="stored-events">${p.storedEvents}</dd>
    <dt>Sessions</dt><dd>${p.sessions}</dd>`;
  const chips = (list: AffinityView[]) =>
    list.map((a) => `<span class="chip">${esc(a.key)} <small>${a.score}</small><button type="button" title="Remove this interest" data-remove="${esc(a.interest)}">×</button></span>`).join('') || '<em>none yet</em>';
  $('#profile').innerHTML = `
    <h3>Interests</h3><div data-testid="top-categories">${chips(p.topCategories)}</div>
    <h3>Ranges</h3><div>${chips(p.topBrands)}</div>
    <h3>Price range</h3><div>${p.priceBand ? esc(p.priceBand.range) : '<em>not known yet</em>'}</div>
    <h3>Recently</h3><ul>${p.recent.slice(0, 5).map((r) => `<li>${esc(r.type)}: ${esc(r.title)}</li>`).join('')}</ul>
    <h3>Purchases</h3><div>${p.purchases.count} orders, ${money(p.purchases.totalValue)}</div>
    ${p.suppressed.length ? `<h3>Removed</h3><div>${p.suppressed.map(esc).join(', ')}</div>` : ''}`;
  $('#cart-count').textContent = String(p.cart.reduce((s, c) => s + c.quantity, 0));
}

async function renderLifecycle(): Promise<void> {
  const p = await rec.predict();
  if (purchaseHistory.at(-1) !== p.purchaseProbability) purchaseHistory.push(p.purchaseProbability);
  const r = p.reasons;
  $('#lifecycle').innerHTML = `
    <div class="figure"><span>Stage</span><span class="stage stage-${p.stage}" data-testid="stage">${p.stage}</span>${p.highValue ? '<span class="chip">high value</span>' : ''}</div>
    <div class="figure"><span>P(alive)</span><span data-testid="p-alive" data-value="${p.pAlive ?? ''}">${p.pAlive === null ? 'n/a' : gauge(p.pAlive, '#15803d', 'P(alive)')}</span></div>
    <div class="figure"><span>Expected purchases</span>${bars([{ label: '30 d', value: p.expectedPurchases30d }, { label: '90 d', value: p.expectedPurchases90d }])}</div>
    ${p.expectedValue90d === undefined ? '' : `<div class="figure"><span>Expected value, 90 d</span><span>${money(p.expectedValue90d)}</span></div>`}
    <div class="figure"><span>Buying this visit</span><span data-testid="purchase-probability" data-value="${p.purchaseProbability}">${gauge(p.purchaseProbability, '#7c3aed', 'purchase probability')}</span></div>
    <div>${sparkline(purchaseHistory)}</div>
    <ul class="reasons" data-testid="reasons">${[...new Set([r.history, r.pAlive, r.expectedPurchases, r.expectedValue, r.purchaseProbability, r.stage])]
      .filter((x): x is string => !!x).map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`;
}

async function refresh(): Promise<void> {
  await renderRecs();
  await renderPanel();
  await renderLifecycle();
}

function report(e: unknown): void {
  console.error(e);
  const msg = e instanceof LocalrecError ? `${e.code}: ${e.message}` : String(e);
  $('#progress').hidden = false;
  $('#progress').innerHTML = `<span id="error">${esc(msg)}</span>`;
}

async function openDetail(id: string): Promise<void> {
  const item = byId.get(id);
  if (!item) return;
  await rec.track({ type: 'click', itemId: id });
  await rec.track({ type: 'view', itemId: id });
  const dialog = $<HTMLDialogElement>('#detail');
  dialog.innerHTML = `${card(item)}<p><button type="button" data-add="${esc(id)}">Add to cart</button> <button type="button" data-close>Close</button></p>
    <h3>More like this</h3><ol class="strip" id="similar"></ol>`;
  dialog.show();
  const similar = await rec.recommend({ k: 4, context: { itemId: id } });
  $('#similar').innerHTML = similar.items.map((r) => `<li data-id="${esc(r.id)}">${card(byId.get(r.id)!)}</li>`).join('');
  await refresh();
}

async function openCart(): Promise<void> {
  const p = await rec.profile();
  const lines = p.cart.map((c) => ({ item: byId.get(c.itemId), quantity: c.quantity })).filter((l) => l.item);
  const total = lines.reduce((s, l) => s + l.item!.price * l.quantity, 0);
  const dialog = $<HTMLDialogElement>('#cart');
  dialog.innerHTML = `<h3>Your cart</h3><ul>${lines.map((l) => `<li>${l.quantity} × ${esc(l.item!.title)} <button type="button" data-remove-cart="${esc(l.item!.id)}">remove</button></li>`).join('') || '<li>empty</li>'}</ul>
    <p>Total ${money(total)}</p><p><button type="button" data-checkout ${lines.length ? '' : 'disabled'}>Buy now</button> <button type="button" data-close>Close</button></p>`;
  dialog.show();
}

document.addEventListener('click', (ev) => {
  const el = (ev.target as HTMLElement).closest<HTMLElement>('[data-id],[data-category],[data-add],[data-close],[data-remove],[data-remove-cart],[data-checkout]');
  if (!el) return;
  const d = el.dataset;
  const run = async () => {
    if (d.add) {
      await rec.track({ type: 'add_to_cart', itemId: d.add, quantity: 1, price: byId.get(d.add)!.price });
      el.closest('dialog')?.close();
      await refresh();
    } else if (d.close !== undefined) {
      el.closest('dialog')?.close();
    } else if (d.remove) {
      await rec.removeInterest(d.remove);
      await refresh();
    } else if (d.removeCart) {
      await rec.track({ type: 'remove_from_cart', itemId: d.removeCart });
      el.closest('dialog')?.close();
      await refresh();
    } else if (d.checkout !== undefined) {
      const p = await rec.profile();
      const items = p.cart.filter((c) => byId.has(c.itemId)).map((c) => ({ itemId: c.itemId, quantity: c.quantity, price: byId.get(c.itemId)!.price }));
      await rec.track({ type: 'purchase', items, value: items.reduce((s, l) => s + l.price * l.quantity, 0), currency });
      el.closest('dialog')?.close();
      await refresh();
    } else if (d.id) {
      await openDetail(d.id);
    } else if (d.category !== undefined && el.tagName === 'BUTTON') {
      category = d.category === 'All' ? undefined : d.category;
      query = '';
      renderCategories();
      renderGrid();
    }
  };
  run().catch(report);
});

$('#search').addEventListener('submit', (ev) => {
  ev.preventDefault();
  query = String(new FormData(ev.target as HTMLFormElement).get('q') ?? '').trim();
  if (!query) return;
  category = undefined;
  renderCategories();
  renderGrid();
  rec.track({ type: 'search', query }).then(refresh).catch(report);
});
$('#cart-button').addEventListener('click', () => void openCart().catch(report));
$('#forget').addEventListener('click', () => {
  purchaseHistory.length = 0;
  $('#stage-banner').hidden = true;
  rec.forget().then(refresh).catch(report);
});

async function main(): Promise<void> {
  // The page needs the catalog for display too. Asking after the worker has downloaded it lets the
  // browser's HTTP cache answer (a 304 revalidation) instead of a second full download.
  await rec.ready();
  const json = (await (await fetch('catalog.json')).json()) as CatalogJson;
  catalog = json.items;
  byId = new Map(catalog.map((i) => [i.id, i]));
  currency = json.currency ?? 'GBP';
  $('#attribution').textContent = json.attribution ?? '';
  renderCategories();
  renderGrid();
  await refresh();
  document.body.dataset.ready = 'true';
}
main().catch(report);
