/**
 * The script-tag build: `<script src=".../localrec.iife.js"></script>` defines `window.localrec`.
 * A classic script has no `import.meta.url`, so the worker is found beside this script's own URL
 * (the lib build names it localrec-worker.js).
 */
import { createLocalrecWith, type Localrec, type LocalrecOptions } from './client/localrec';

const here = (document.currentScript as HTMLScriptElement | null)?.src ?? location.href;

/**
 * Starts localrec for this page (script-tag build).
 *
 * @example
 * const rec = localrec.createLocalrec({ catalog: '/catalog.json' });
 */
export function createLocalrec(options: LocalrecOptions): Localrec {
  return createLocalrecWith(() => new Worker(new URL('localrec-worker.js', here), { type: 'module', name: 'localrec-engine' }), options);
}

export { LocalrecError } from './core/errors';
