import type { Catalog } from '../src/core/catalog';
import { LocalrecError } from '../src/core/errors';
import { SequenceSignal } from '../src/core/ranking/sequence-signal';
import { decodeBundle } from '../src/core/sequence/bundle-format';
import { SequenceRanker } from '../src/core/sequence/ranker';
import type { BundleRanker } from './engine';

/** Downloads and decodes the ranking bundle; a bad bundle is a typed error, never a silent empty ranker. */
export async function loadBundle(url: string, catalog: Catalog, fetcher: (url: string) => Promise<Response>): Promise<BundleRanker> {
  let res: Response;
  try {
    res = await fetcher(url);
  } catch (e) {
    throw new LocalrecError('catalog_fetch_failed', `Could not download the ranking bundle from ${url}: ${String(e)}`);
  }
  if (!res.ok) throw new LocalrecError('catalog_fetch_failed', `The bundle URL ${url} answered HTTP ${res.status}.`);
  const signal = new SequenceSignal(new SequenceRanker(decodeBundle(new Uint8Array(await res.arrayBuffer()))), catalog);
  return { items: signal.matched, signal: (profile) => signal.signal(profile) };
}
