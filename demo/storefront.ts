/**
 * The storefront every demo page shares: the product grid (from the catalog, before the engine
 * is ready), the picks strip, the "about you" panel, the dialogs and the diagnostics drawer. A
 * page differs only in how it reaches localrec, which it passes in:
 * - index.html (main.ts): `createLocalrec()` and `track()` calls from the npm package;
 * - ga4.html (ga4.ts): GA4 e-commerce events pushed to `window.dataLayer`, which localrec reads;
 * - snippet.html (snippet-page.ts): the pasted snippet and its `localrec('…')` commands.
 */
import type { CatalogJson, Localrec, LocalrecOptions } from '../src/index';
import { app, report } from './app';
import { renderEngine, scheduleLog, setLastRanking, setReadyInfo, setStartError } from './diagnostics';
import { addToCart, askToForget, checkout, confirmForget, openCart, openDetail, openModal, removeFromCart, wireDialogs } from './dialogs';
import { $, setCurrency } from './format';
import { instrument } from './instrumented';
import { engineFailed, engineProgress, engineReady, engineRetrying, fetchCatalogForDisplay, hideLoadingWhenDone, productsFailed } from './loading';
import { describeDownload, downloadMyData, renderPanel, resetVisit, showStageChange } from './panel';
import type { RecommendationsElement, SelectDetail } from '../src/client/element';
import { drawPick } from './cards';
import { chooseCategory, renderCategories, renderGrid, renderRecs, scrollStrip, search, showMore, showPickPlaceholders, updateStripButtons } from './shop';

export const here = (file: string): string => new URL(file, location.href).href;

/**
 * The options every page starts localrec with: the demo's data files and the loading display.
 * Each page keeps its own database, so what a page shows is what it learned its own way.
 */
export function engineOptions(dbName: string): LocalrecOptions {
  return {
    catalog: here('catalog.json'),
    bundle: here('session-bundle.bin'),
    lifecycle: here('lifecycle-params.json'),
    purchaseModel: here('purchase-model.json'),
    dbName,
    onProgress: engineProgress,
  };
}

async function refreshNow(): Promise<void> {
  if (!app.engineReady) return;
  setLastRanking(await renderRecs());
  const [profile, info] = await Promise.all([app.rec.profile(), app.rec.ready()]);
  renderPanel(profile, info);
}

let running: Promise<void> | null = null;
let pending: Promise<void> | null = null;
/** A product open is several calls in a row: one refresh runs at a time, and at most one waits behind it. */
function refresh(): Promise<void> {
  if (!running) {
    running = refreshNow().finally(() => { running = null; });
    return running;
  }
  pending ??= running.catch(() => undefined).then(() => {
    pending = null;
    return refresh();
  });
  return pending;
}

function wirePage(): void {
  document.addEventListener('click', (ev) => {
    const el = (ev.target as HTMLElement).closest<HTMLElement>('[data-add],[data-close],[data-remove],[data-remove-cart],[data-checkout],[data-scroll],[data-id],[data-category]');
    if (!el) return;
    const d = el.dataset;
    const run = async () => {
      if (d.add) await addToCart(d.add, el);
      else if (d.close !== undefined) el.closest('dialog')?.close();
      else if (d.remove) {
        await app.rec.removeInterest(d.remove);
        await app.refresh();
      } else if (d.removeCart) await removeFromCart(d.removeCart);
      else if (d.checkout !== undefined) await checkout(el);
      else if (d.scroll) scrollStrip(Number(d.scroll));
      else if (d.id) await openDetail(d.id);
      else if (d.category !== undefined && el.tagName === 'BUTTON') {
        chooseCategory(d.category);
        await app.refresh();
      }
    };
    run().catch(report);
  });

  $('#search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (app.catalog.length === 0) return; // nothing to search until the products have arrived
    const query = search(String(new FormData(ev.target as HTMLFormElement).get('q') ?? '').trim());
    (query ? app.track({ type: 'search', query }).then(app.refresh) : app.refresh()).catch(report);
  });
  // A pick chosen in a <localrec-recommendations> strip (which tracked the click): the demo opens
  // the product itself rather than following a link.
  document.addEventListener('localrec-select', (ev) => {
    ev.preventDefault();
    openDetail((ev as CustomEvent<SelectDetail>).detail.itemId, true).catch(report);
  });
  $<RecommendationsElement>('#category-strip').renderItem = drawPick;
  $('#more').addEventListener('click', showMore);
  $('#cart-button').addEventListener('click', () => void openCart().catch(report));
  $('#diagnostics-button').addEventListener('click', () => {
    scheduleLog();
    openModal($<HTMLDialogElement>('#diagnostics'));
  });
  $('#download').addEventListener('click', () => void downloadMyData().catch(report));
  $('#forget').addEventListener('click', askToForget);
  $('#forget-confirm').addEventListener('click', () => confirmForget(resetVisit));
  $('#rec-list').addEventListener('scroll', updateStripButtons, { passive: true });
  addEventListener('resize', updateStripButtons);
  wireDialogs();
  describeDownload();
  renderEngine();
  showPickPlaceholders();
}

function showProducts(json: CatalogJson): void {
  app.catalog = json.items;
  app.byId = new Map(json.items.map((i) => [i.id, i]));
  setCurrency(json.currency ?? 'GBP');
  $('#attribution').textContent = json.attribution ?? '';
  renderCategories();
  renderGrid();
  performance.mark('localrec-demo:first-products');
  document.body.dataset.products = 'shown';
}

function pickFailure(message: string): void {
  engineFailed();
  setStartError(message);
  $('#recs-title').textContent = 'Personal picks are unavailable right now';
  $('#recs-note').textContent = 'The shop works without them. Diagnostics says why.';
  $('#rec-list').innerHTML = '';
  $('#recs').removeAttribute('aria-busy');
}

/**
 * Resolves false when the engine cannot start: the shop then goes on without picks. One retry:
 * on a slow link the engine's first start can run past the SDK's start-up deadline while its
 * files download, and a second start finds them in the HTTP cache.
 */
async function startEngine(start: () => Localrec): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      const info = await app.rec.ready();
      app.engineReady = true;
      engineReady(info.startupMs);
      setReadyInfo(info);
      return true;
    } catch (e) {
      console.error(e);
      const message = e instanceof Error ? e.message : String(e);
      if (attempt > 1) {
        pickFailure(message);
        return false;
      }
      engineRetrying();
      setStartError(`first start failed, retrying: ${message}`);
      await app.rec.destroy().catch(() => undefined);
      app.log.swap(watched(start()));
    }
  }
}

/** A lifecycle team would trigger its retention offer on a stage change; the demo shows it. */
function watched(rec: Localrec): Localrec {
  void Promise.resolve(rec.onStageChange(({ from, to }) => showStageChange(from, to))).catch(report);
  return rec;
}

/**
 * Runs the shop on this page. `start` starts localrec (again, after a failed first start) and
 * returns it, or an object with the same methods. The catalog is asked for before the engine
 * starts, so the product grid does not wait for the engine, and the engine's own later request
 * for the same file is answered by the HTTP cache (a revalidation).
 */
export function runStorefront(start: () => Localrec): void {
  const displayCatalog = fetchCatalogForDisplay(here('catalog.json'));
  app.log = instrument(watched(start()));
  app.rec = app.log.rec;
  app.refresh = refresh;
  app.log.onChange(scheduleLog);
  // For QA and the end-to-end tests: the live instance (calls made on it show in the diagnostics drawer).
  Object.assign(window, { localrecDemo: { rec: app.rec } });
  wirePage();

  const main = async () => {
    const json = await displayCatalog.catch((e: unknown) => {
      productsFailed(e instanceof Error ? e.message : String(e));
      return undefined;
    });
    if (json) showProducts(json);
    const engine = await startEngine(start);
    if (!engine || !json) return;
    await app.refresh();
    hideLoadingWhenDone();
    performance.mark('localrec-demo:first-picks');
    renderEngine();
    document.body.dataset.ready = 'true';
  };
  main().catch(report);
}
