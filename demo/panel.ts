/**
 * "What this browser knows about you": the profile in the shopper's words, the lifecycle team's
 * figures one click deeper (a <details>), and the privacy controls.
 */
import type { AffinityView, Prediction, ProfileSnapshot, ReadyInfo } from '../src/index';
import { app } from './app';
import { bars, gauge, sparkline } from './charts';
import { $, clock, esc, leaf, money, plural, priceRange } from './format';

/** P(purchase) after each refresh of this visit, for the sparkline. */
const purchaseHistory: number[] = [];

export function resetVisit(): void {
  purchaseHistory.length = 0;
  $('#stage-banner').hidden = true;
}

const STAGE_WORDS: Record<string, string> = {
  new: 'You are a new customer: welcome!',
  active: 'You shop here regularly.',
  'at-risk': 'It has been a while since your last order.',
  lapsed: 'Your last order was a long time ago.',
};

/** The stage the panel last showed: the SDK reports a first judgement as a change from null. */
let shownStage: string | undefined;

export function showStageChange(from: string | null, to: string): void {
  const before = from ?? shownStage;
  if (!before || before === to) return;
  const banner = $('#stage-banner');
  banner.hidden = false;
  banner.textContent = `Shopper stage changed from ${before} to ${to}.${to === 'at-risk' || to === 'lapsed' ? ' This is when a shop would show a retention offer.' : ''}`;
}

function chips(list: AffinityView[], name: (key: string) => string, empty: string): string {
  if (list.length === 0) return `<li class="empty">${empty}</li>`;
  return list.map((a) => `<li class="chip">${esc(name(a.key))}<button type="button" data-remove="${esc(a.interest)}" aria-label="Stop using ${esc(name(a.key))} for your picks">✕</button></li>`).join('');
}

const VERBS: Record<string, string> = {
  view: 'Looked at', click: 'Looked at', add_to_cart: 'Added to cart', remove_from_cart: 'Took out of cart', purchase: 'Bought',
};

/** A click then a view of the same product is one "looked at" to the shopper, not two lines. */
function recent(p: ProfileSnapshot): string {
  const seen = new Set<string>();
  const lines = p.recent.flatMap((r) => {
    const verb = VERBS[r.type];
    const key = `${r.itemId}|${verb}`;
    if (!verb || seen.has(key)) return [];
    seen.add(key);
    return [`<li><span class="muted">${verb}</span> ${esc(r.title)}</li>`];
  }).slice(0, 5);
  return lines.join('') || '<li class="empty">Nothing yet. Open a product and it shows here.</li>';
}

function stored(p: ProfileSnapshot): string {
  if (p.storedEvents === 0) return 'Nothing is stored about you in this browser.';
  const e = p.events;
  const parts = [
    e.view + e.click > 0 ? plural(e.view + e.click, 'product view or click', 'product views and clicks') : '',
    e.add_to_cart + e.remove_from_cart > 0 ? plural(e.add_to_cart + e.remove_from_cart, 'cart change') : '',
    e.purchase > 0 ? plural(e.purchase, 'order') : '',
    e.search > 0 ? plural(e.search, 'search', 'searches') : '',
    e.impression > 0 ? plural(e.impression, 'list of products shown to you', 'lists of products shown to you') : '',
  ].filter(Boolean);
  return `${plural(p.storedEvents, 'record')} in this browser's own storage: ${parts.join(', ')}. Kept since ${new Date(p.firstSeen).toLocaleDateString('en-GB')} ${clock(p.firstSeen)}.`;
}

export function renderPanel(p: ProfileSnapshot, info: ReadyInfo): void {
  $('#cart-count').textContent = String(p.cart.reduce((s, c) => s + c.quantity, 0));
  $('[data-testid="top-categories"]').innerHTML = chips(p.topCategories, leaf, 'Nothing yet. Browse a little and your interests show here.');
  // The hint explains the ✕ buttons, so it shows only beside them.
  $('#interests-hint').hidden = p.topCategories.length === 0;
  $('#ranges').innerHTML = chips(p.topBrands, (k) => `${k} range`, 'None yet.');
  $('#price-band').textContent = p.priceBand ? `Mostly ${priceRange(p.priceBand.range)}.` : 'Not known yet.';
  $('#recent').innerHTML = recent(p);
  $('#orders').textContent = p.purchases.count === 0 ? 'No orders yet.' : `${plural(p.purchases.count, 'order')}, ${money(p.purchases.totalValue)} in total.`;
  const removed = $('#removed');
  removed.hidden = p.suppressed.length === 0;
  removed.textContent = `You asked not to use: ${p.suppressed.map((s) => leaf(s.replace(/^\w+:/, ''))).join(', ')}.`;
  $('#stored').textContent = stored(p);
  renderLifecycle(p, info);
}

function renderLifecycle(p: ProfileSnapshot, info: ReadyInfo): void {
  const life: Prediction | null = p.lifecycle;
  $('#stage-words').textContent = !life ? '' : p.purchases.count === 0 ? 'You are new here: no orders yet.' : STAGE_WORDS[life.stage] ?? '';
  if (!life) {
    $('#lifecycle').innerHTML = `<p>Not available: ${esc(info.lifecycle.ready ? 'no figures were returned' : info.lifecycle.reason)}.</p>`;
    return;
  }
  shownStage = life.stage;
  if (purchaseHistory.at(-1) !== life.purchaseProbability) purchaseHistory.push(life.purchaseProbability);
  const noOrders = p.purchases.count === 0;
  const r = life.reasons;
  $('#lifecycle').innerHTML = `
    <dl class="figures">
      <dt>Stage</dt><dd><span class="stage stage-${esc(life.stage)}" data-testid="stage">${esc(life.stage)}</span>${life.highValue ? ' <span class="chip">high value</span>' : ''}</dd>
      <dt>Still a customer, P(alive)</dt><dd data-testid="p-alive" data-value="${life.pAlive ?? ''}">${life.pAlive === null ? 'not estimated before a first order' : gauge(life.pAlive, '#15803d', 'P(alive)')}</dd>
      <dt>Expected orders${noOrders ? ' <small>(shop average for a new visitor)</small>' : ''}</dt><dd>${bars([{ label: '30 d', value: life.expectedPurchases30d }, { label: '90 d', value: life.expectedPurchases90d }])}</dd>
      ${life.expectedValue90d === undefined ? '' : `<dt>Expected spend, 90 days</dt><dd>${money(life.expectedValue90d)}</dd>`}
      <dt>Buys on this visit</dt><dd data-testid="purchase-probability" data-value="${life.purchaseProbability}">${gauge(life.purchaseProbability, '#7c3aed', 'purchase probability')}</dd>
    </dl>
    ${sparkline(purchaseHistory)}
    <h4>The engine's reasons</h4>
    <ul class="reasons" data-testid="reasons">${[...new Set([r.history, r.pAlive, r.expectedPurchases, r.expectedValue, r.purchaseProbability, r.stage])]
      .filter((x): x is string => !!x).map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`;
}

const exporter = () => (app.rec as unknown as { exportData?: () => Promise<unknown> }).exportData;

/** Says what the download will hold, which depends on whether this SDK version can export. */
export function describeDownload(): void {
  $('#download-hint').textContent = typeof exporter() === 'function'
    ? 'The file holds everything stored about you in this browser, as the SDK exports it.'
    : 'The file holds what this page can read: your interests, recent products, cart and orders. This SDK version cannot export the raw records yet, so they are not in it.';
}

/**
 * "Download my data": the SDK's own export when it has one; otherwise what the page can read
 * (profile() and ready()), labelled as a summary so nobody mistakes it for everything stored.
 */
export async function downloadMyData(): Promise<void> {
  const exportData = exporter();
  let data: unknown;
  if (typeof exportData === 'function') data = await exportData();
  else {
    const [profile, info] = await Promise.all([app.rec.profile(), app.rec.ready()]);
    data = {
      about: 'What localrec keeps about you in this browser, as profile() reports it. The raw records are not included: this SDK version has no export call yet.',
      exportedAt: new Date().toISOString(),
      shop: { catalogVersion: info.catalogVersion },
      profile,
    };
  }
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: 'my-data-hearth-and-ribbon.json' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
