/**
 * The loading state says what is really happening. The page downloads the product list itself
 * (bytes of a known total), so the grid can show before the engine is ready; the engine reports
 * its own copy of the catalog through onProgress. Everything else the engine downloads (its code,
 * the wasm binary, the ranking file) is not reported by the SDK, so that step is shown as
 * indeterminate instead of a made-up percentage.
 */
import type { CatalogJson, Progress } from '../src/index';
import { $, kb } from './format';

type Step = 'products' | 'engine';

function step(which: Step, text: string, loaded?: number, total?: number | null): void {
  const bar = $<HTMLProgressElement>(`#${which}-bar`);
  // No value attribute is how <progress> says "indeterminate".
  if (loaded === undefined || !total || loaded > total) bar.removeAttribute('value');
  else {
    bar.max = total;
    bar.value = loaded;
  }
  $(`#${which}-state`).textContent = text;
}

function done(which: Step, text: string): void {
  const bar = $<HTMLProgressElement>(`#${which}-bar`);
  bar.max = 1;
  bar.value = 1;
  $(`#${which}-state`).textContent = text;
  $(`#step-${which}`).classList.add('done');
  announce(text);
}

/**
 * Hides the loading steps once every one is done, in the task that puts the first picks on the
 * page: the header shrinks while the page changes anyway, not later under a shopper's finger
 * (a timer here once moved the page by 44 px as a product was tapped). A failed step stays.
 */
export function hideLoadingWhenDone(): void {
  if (document.querySelectorAll('#loading .step:not(.done)').length === 0) $('#loading').hidden = true;
}

/** Milestones only: a screen reader should hear "products loaded", not every kilobyte. */
function announce(text: string): void {
  $('#loading-news').textContent = text;
}

/** Size of the product list as the page received it: the engine's copy of the same file is that size too. */
let catalogBytes: number | null = null;

export async function fetchCatalogForDisplay(url: string): Promise<CatalogJson> {
  step('products', 'downloading…');
  // High priority: on a slow link the products should not queue behind the engine's larger downloads.
  const res = await fetch(url, { priority: 'high' } as RequestInit);
  if (!res.ok || !res.body) throw new Error(`the product list answered HTTP ${res.status}`);
  // Content-Length is the size on the wire: with compression the body is larger, so the total is then unknown.
  const total = Number(res.headers.get('content-length')) || null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done: end, value } = await reader.read();
    if (end) break;
    chunks.push(value);
    loaded += value.length;
    step('products', total && loaded <= total ? `${kb(loaded)} of ${kb(total)}` : `${kb(loaded)} so far`, loaded, total);
  }
  catalogBytes = loaded;
  const json = JSON.parse(await new Blob(chunks as BlobPart[]).text()) as CatalogJson;
  done('products', `${json.items.length.toLocaleString('en-GB')} products loaded`);
  return json;
}

let engineCatalogDone = false;

export function engineProgress(p: Progress): void {
  switch (p.status) {
    case 'download':
      step('engine', 'the engine is reading the product list…');
      break;
    case 'progress': {
      // A copy revalidated from the HTTP cache comes without a length; the page's own copy gives it.
      const total = p.total ?? catalogBytes;
      if (total !== null && p.loaded >= total) {
        engineCatalogDone = true;
        step('engine', 'choosing the fastest way to compute, loading the ranking file (sizes not reported)…');
      } else {
        step('engine', `the engine is reading the product list: ${kb(p.loaded)}${total ? ` of ${kb(total)}` : ' so far'}`, p.loaded, total);
      }
      break;
    }
    case 'cached':
      step('engine', 'using the product list saved in this browser; preparing…');
      break;
    case 'ready':
      if (!engineCatalogDone) step('engine', 'finishing…');
      break;
  }
}

export function engineReady(startupMs: number): void {
  done('engine', `personal picks ready (engine started in ${(startupMs / 1000).toFixed(1)} s)`);
}

/** The SDK's own message is for QA (the diagnostics drawer); the shopper gets the plain version. */
export function engineRetrying(): void {
  step('engine', 'the engine is slow to start; trying once more…');
}

export function engineFailed(): void {
  step('engine', 'personal picks are unavailable right now. The shop still works; Diagnostics has the details.');
  $('#step-engine').classList.add('failed');
}

export function productsFailed(message: string): void {
  step('products', `could not load products: ${message}. Reload the page to try again.`);
  $('#step-products').classList.add('failed');
}
