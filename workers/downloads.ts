import { LocalrecError, type LocalrecErrorCode } from '../src/core/errors';
import type { Progress } from '../src/protocol';

export type Fetcher = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * Fetches `url` and returns the response, or rejects with `code` saying what could not be
 * downloaded: an HTTP error and a network failure read the same to the page. With an `etag`, the
 * request is conditional (If-None-Match) and a 304 is returned as it is: the copy held is current.
 */
export async function download(fetcher: Fetcher, url: string, what: string, code: LocalrecErrorCode, etag?: string): Promise<Response> {
  let res: Response;
  try {
    res = await (etag === undefined ? fetcher(url) : fetcher(url, { headers: { 'If-None-Match': etag } }));
  } catch (e) {
    throw new LocalrecError(code, `Could not download the ${what} from ${url}: ${String(e)}`);
  }
  if (etag !== undefined && res.status === 304) return res;
  if (!res.ok) throw new LocalrecError(code, `The ${what} URL ${url} answered HTTP ${res.status}.`);
  return res;
}

/** The body as bytes, reporting progress as it arrives (for a progress bar). */
export async function readBytes(res: Response, onProgress?: (p: Progress) => void): Promise<Uint8Array> {
  if (!res.body || !onProgress) return new Uint8Array(await res.arrayBuffer());
  const total = Number(res.headers.get('content-length')) || null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress({ status: 'progress', loaded, total });
  }
  const all = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}
