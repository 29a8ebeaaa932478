/**
 * The snippet's build entry: scripts/build-snippet.mjs bundles and minifies this into the form a
 * store pastes (dist/lib/snippet.min.js), replacing __LOCALREC_SDK_URL__ with the SDK URL used
 * when the snippet's script tag has no data-src.
 */
import { installStub } from './stub';

declare const __LOCALREC_SDK_URL__: string;

installStub(window, document, __LOCALREC_SDK_URL__);
