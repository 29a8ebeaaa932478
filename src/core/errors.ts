/**
 * The one error type localrec throws. `code` is a closed union so callers can branch on it;
 * the message says what to do about it. It survives the worker boundary through a comlink
 * transfer handler (see src/protocol.ts), because comlink's default handler drops extra fields.
 */
export type LocalrecErrorCode =
  | 'invalid_event' // track() got an event that fails validation; nothing was stored
  | 'invalid_argument' // an API call got an argument of the wrong shape
  | 'invalid_catalog' // catalog JSON failed validation (a cached catalog, if any, is used instead)
  | 'catalog_fetch_failed' // the catalog URL could not be downloaded
  | 'download_failed' // an optional file (ranking bundle, lifecycle parameters, purchase model) could not be downloaded
  | 'invalid_bundle' // a ranking bundle is malformed or truncated
  | 'invalid_data' // a Node tool got an input file it cannot parse
  | 'not_ready' // called before ready() resolved, or with no catalog loaded
  | 'storage_failed' // IndexedDB refused a read or write
  | 'backend_failed' // no TensorFlow.js backend could be initialised
  | 'worker_failed' // the engine worker could not start, crashed or stopped answering
  /**
   * The snippet (docs/snippet.md) could not load the script-tag SDK: its URL failed (404, blocked
   * by the CSP or an extension) or the script loaded but did not start localrec within 10 s.
   * Every call made through the snippet rejects with it, and the page keeps working.
   */
  | 'sdk_unavailable'
  | 'destroyed'; // the instance was destroyed

export class LocalrecError extends Error {
  override readonly name = 'LocalrecError';
  readonly code: LocalrecErrorCode;
  /** The offending field, when the error is about one (for example `items[2].price`). */
  readonly field: string | undefined;

  constructor(code: LocalrecErrorCode, message: string, field?: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}
