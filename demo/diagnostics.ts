/**
 * The QA drawer: what the engine says about itself (backend and every measurement, versions,
 * start-up), the timings of the last calls and a live event log. Slots for what newer SDK
 * versions report (storage mode, consent, adapters) read ready() as it is and say plainly when a
 * field is absent, rather than guess a value.
 */
import type { ReadyInfo } from '../src/index';
import { app } from './app';
import { $, clock, esc } from './format';

const KNOWN = new Set(['catalogVersion', 'items', 'hashedItems', 'backend', 'bundleItems', 'bundleError', 'lifecycle', 'startupMs']);
/** A field a newer SDK reports; `absent` is shown when `absentWith` is reported but the field is not. */
interface Slot { label: string; keys: readonly string[]; absentWith?: string; absent?: string }
const SLOTS: readonly Slot[] = [
  { label: 'Storage mode', keys: ['storageMode', 'storage'] },
  { label: 'Consent', keys: ['consent'] },
  // diagnostics() has `sources` once a wired source has sent something: an SDK that reports
  // `automated` (the same version) and no sources has none wired on this page.
  { label: 'Adapters (events read from the store’s tracking)', keys: ['adapters', 'sources'], absentWith: 'automated', absent: 'none wired on this page: it calls track() itself' },
];
const NOT_REPORTED = '<span class="muted">not reported by this SDK version</span>';
/** Fields of diagnostics() shown under words; `catalog` repeats the Catalog row, so only its error shows. */
const LABELLED: Record<string, (v: unknown) => [string, string] | undefined> = {
  batchesWritten: (v) => ['Writes to storage', `${Number(v)} batches`],
  lastWriteMs: (v) => ['Last write', `${Number(v)} ms`],
  tabsCoordinated: (v) => ['Shared with other open tabs', v ? 'yes (Web Locks)' : 'no'],
  automated: (v) => {
    const a = v as { now?: boolean; visits?: number; ignoredEvents?: number; last?: { reason?: string } } | null;
    if (!a || typeof a.visits !== 'number') return undefined;
    const state = a.now ? `this visit looks automated (${esc(String(a.last?.reason ?? ''))}): not learned from` : 'this visit looks human';
    return ['Automated traffic', `${state}; ${a.visits} visits judged so far, ${Number(a.ignoredEvents)} events kept out of the profile`];
  },
  catalog: (v) => {
    const error = (v as { error?: unknown } | null)?.error;
    return typeof error === 'string' ? ['Catalog load error', esc(error)] : undefined;
  },
};

/** Values of fields this page does not know in advance: strings as they are, objects as "key: value" pairs. */
const show = (v: unknown): string => {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const entries = Object.entries(v);
    if (entries.length === 1) return show(entries[0]![1]);
    return entries.map(([k, x]) => `${esc(k)}: ${esc(typeof x === 'string' ? x : JSON.stringify(x))}`).join(', ');
  }
  return esc(typeof v === 'string' ? v : JSON.stringify(v));
};

let info: ReadyInfo | undefined;
/** What a newer SDK's diagnostics() call says (storage, consent, writes), when it has one. */
let reported: Record<string, unknown> = {};
let lastTook: number | undefined;

/** Asks the SDK for its live diagnostics when it offers the call; older versions simply do not. */
async function readReported(): Promise<void> {
  const call = (app.rec as unknown as { diagnostics?: () => Promise<unknown> }).diagnostics;
  if (typeof call !== 'function' || !app.engineReady) return;
  const d = await call();
  if (typeof d === 'object' && d !== null) reported = d as Record<string, unknown>;
}

/** Milliseconds since navigation of a performance mark the page set, if it has been reached. */
const mark = (name: string): string => {
  const m = performance.getEntriesByName(name)[0];
  return m ? `${Math.round(m.startTime)} ms` : '<span class="muted">not yet</span>';
};

export function setReadyInfo(ready: ReadyInfo): void {
  info = ready;
  renderEngine();
}

let startError: string | undefined;
export function setStartError(message: string): void {
  startError = message;
  renderEngine();
}

export function setLastRanking(tookMs: number): void {
  lastTook = tookMs;
  renderEngine();
}

export function renderEngine(): void {
  const root = $('#diag-engine');
  if (!info) {
    root.innerHTML = `<dt>Engine</dt><dd>${startError ? `did not start: ${esc(startError)}` : 'starting…'}</dd>
      <dt>First products on the page</dt><dd>${mark('localrec-demo:first-products')}</dd>`;
    return;
  }
  const raw = { ...(info as unknown as Record<string, unknown>), ...reported };
  const slot = ({ keys, absentWith, absent }: Slot) => {
    const key = keys.find((k) => raw[k] !== undefined);
    if (key) return show(raw[key]);
    return absentWith !== undefined && raw[absentWith] !== undefined ? esc(absent ?? '') : NOT_REPORTED;
  };
  const extra = Object.keys(raw).filter((k) => !KNOWN.has(k) && !LABELLED[k] && !SLOTS.some((s) => s.keys.includes(k)));
  const labelled = Object.keys(LABELLED).flatMap((k) => (raw[k] === undefined ? [] : [LABELLED[k]!(raw[k])])).filter((r) => r !== undefined);
  root.innerHTML = `
    <dt>Backend</dt><dd data-testid="backend">${esc(info.backend.name)}</dd>
    ${info.backend.renderer ? `<dt>WebGL renderer</dt><dd>${esc(info.backend.renderer)}</dd>` : ''}
    <dt>Start-up in the worker</dt><dd>${info.startupMs} ms</dd>
    ${startError ? `<dt>Earlier attempt</dt><dd>${esc(startError)}</dd>` : ''}
    <dt>First products on the page</dt><dd>${mark('localrec-demo:first-products')}</dd>
    <dt>First picks on the page</dt><dd>${mark('localrec-demo:first-picks')}</dd>
    <dt>Last ranking</dt><dd data-testid="took">${lastTook === undefined ? '<span class="muted">none yet</span>' : `${lastTook} ms for ${info.items.toLocaleString('en-GB')} items`}</dd>
    <dt>Catalog</dt><dd>version ${esc(info.catalogVersion)}, ${info.items.toLocaleString('en-GB')} items (${info.hashedItems.toLocaleString('en-GB')} with embeddings computed here)</dd>
    <dt>Ranking bundle</dt><dd>${info.bundleError ? `not used: ${esc(info.bundleError)}` : info.bundleItems > 0 ? `${info.bundleItems.toLocaleString('en-GB')} catalog items covered` : 'none'}</dd>
    <dt>Lifecycle models</dt><dd>${info.lifecycle.ready ? 'loaded' : `not loaded: ${esc(info.lifecycle.reason)}`}</dd>
    ${SLOTS.map((s) => `<dt>${s.label}</dt><dd>${slot(s)}</dd>`).join('')}
    ${labelled.map(([label, value]) => `<dt>${label}</dt><dd>${value}</dd>`).join('')}
    ${extra.map((k) => `<dt>${esc(k)}</dt><dd>${show(raw[k])}</dd>`).join('')}`;
  $('#diag-backends').innerHTML = `<thead><tr><th scope="col">Backend</th><th scope="col">Scoring pass</th><th scope="col">Note</th></tr></thead>
    <tbody>${info.backend.measured.map((m) => `<tr${m.name === info!.backend.name ? ' class="chosen"' : ''}><td>${esc(m.name)}${m.name === info!.backend.name ? ' (chosen)' : ''}</td>
      <td>${m.ms === null ? 'unavailable' : `${m.ms} ms`}</td><td>${m.error ? esc(m.error) : ''}</td></tr>`).join('')}</tbody>`;
}

export function renderLog(): void {
  const { calls, events } = app.log;
  $('#diag-calls').innerHTML = `<thead><tr><th scope="col">Time</th><th scope="col">Call</th><th scope="col">Round trip</th><th scope="col">In the engine</th></tr></thead>
    <tbody>${calls.slice(0, 12).map((c) => `<tr><td>${clock(c.at)}</td><td>${esc(c.method)}${c.ok ? '' : ' <span class="bad">failed</span>'}</td>
      <td>${c.ms} ms</td><td>${c.engineMs === undefined ? '' : `${c.engineMs} ms`}</td></tr>`).join('') || '<tr><td colspan="4">No calls yet.</td></tr>'}</tbody>`;
  $('#diag-events').innerHTML = `<thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Result</th></tr></thead>
    <tbody>${events.map((e) => `<tr><td>${clock(e.at)}</td><td>${esc(e.what)}</td>
      <td><span class="outcome ${e.outcome.replace(' ', '-')}">${e.outcome}</span> <span class="muted">${esc(e.detail)}</span></td></tr>`).join('') || '<tr><td colspan="3">No track() calls yet.</td></tr>'}</tbody>`;
}

/** Sections a page adds to the drawer (the GA4 page's dataLayer log), redrawn with the rest. */
const extraSections: (() => void)[] = [];
export function onDrawerRender(render: () => void): void {
  extraSections.push(render);
  render();
}

let queued = false;
/** Calls arrive in bursts (a product open is five of them): redraw once per frame at most. */
export function scheduleLog(): void {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    renderLog();
    renderEngine();
    extraSections.forEach((render) => render());
    if ($<HTMLDialogElement>('#diagnostics').open) void readReported().then(renderEngine).catch(() => undefined);
  });
}
