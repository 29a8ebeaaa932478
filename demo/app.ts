/** What the demo's modules share: the SDK instance and the catalog as the page displays it. */
import type { CatalogItem, Localrec, TrackEvent } from '../src/index';
import type { Instrumented } from './instrumented';

export const app = {
  rec: undefined as unknown as Localrec,
  log: undefined as unknown as Instrumented,
  catalog: [] as CatalogItem[],
  byId: new Map<string, CatalogItem>(),
  /** True once ready() resolved: recommendations and the panel can be asked for. */
  engineReady: false,
  /** Re-renders what depends on the shopper (picks, panel); set by main.ts, coalesces bursts of calls. */
  refresh: (): Promise<void> => Promise.resolve(),
  /**
   * How a shopper action reaches localrec: a track() call here; the GA4 page pushes the GA4 event
   * to its dataLayer instead. Resolves once localrec has learned it, so a refresh then shows it.
   */
  track: (event: TrackEvent): Promise<unknown> => app.rec.track(event),
};

let toastTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * A short confirmation ("Added to your cart"), read out by screen readers through its
 * role="status". The element stays in place and only empties: a live region that appears with its
 * text is often not announced.
 */
export function say(text: string): void {
  const toast = document.getElementById('toast');
  if (!toast) return;
  toast.textContent = text;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.textContent = ''; }, 4000);
}

/** Errors the shopper should know about go to the status line; the details go to the console for QA. */
export function report(e: unknown): void {
  console.error(e);
  const line = document.getElementById('error');
  if (!line) return;
  line.hidden = false;
  line.textContent = `Something went wrong: ${e instanceof Error ? e.message : String(e)}. The shop still works; recommendations may be out of date.`;
}
