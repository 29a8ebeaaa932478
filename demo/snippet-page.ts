/**
 * The demo storefront integrated only through the snippet a store pastes into its <head>
 * (docs/snippet.md): the page's own code imports nothing of the SDK. The snippet (inlined into
 * snippet.html at build time) defines `localrec(...)` and loads the script-tag SDK from ./sdk/;
 * everything the shop does is a `localrec('init' | 'track' | 'recommend' | …)` command, queued
 * until the SDK arrives. The commands are gathered into an object with the SDK's method names
 * only so that the shared storefront can use them as it uses the SDK on the other pages.
 */
import type { Localrec } from '../src/index';
import type { LocalrecCommand } from '../src/snippet/commands';
import { engineOptions, runStorefront } from './storefront';

/** The command function as the page calls it: read at each call, the snippet's until the SDK replaces it with its own. */
const command = (method: string, ...args: unknown[]): Promise<unknown> =>
  (window as unknown as { localrec: (method: string, ...a: unknown[]) => Promise<unknown> }).localrec(method, ...args);
/** The same, typed by method name. */
const localrec = command as LocalrecCommand;

const METHODS = ['ready', 'track', 'recommend', 'profile', 'predict', 'onStageChange', 'removeInterest', 'forget', 'setConsent', 'exportData', 'diagnostics', 'destroy'] as const;

/** `localrec('init', options)`, then the commands under the SDK's method names (onStageChange resolves with its unsubscribe function). */
function start(): Localrec {
  void localrec('init', engineOptions('localrec-demo-snippet'));
  return Object.fromEntries(METHODS.map((m) => [m, (...args: unknown[]) => command(m, ...args)])) as unknown as Localrec;
}

runStorefront(start);
