import type { Catalog } from '../src/core/catalog';
import { CatalogSequenceRanker } from '../src/core/ranking/signals/sequence';
import { decodeBundle } from '../src/core/sequence/bundle-format';
import { SequenceRanker } from '../src/core/sequence/ranker';
import { download, type Fetcher } from './downloads';

/** Downloads and decodes the ranking bundle; a bad bundle is a typed error, never a silent empty ranker. */
export async function loadBundle(url: string, catalog: Catalog, fetcher: Fetcher): Promise<CatalogSequenceRanker> {
  const res = await download(fetcher, url, 'ranking bundle', 'download_failed');
  return new CatalogSequenceRanker(new SequenceRanker(decodeBundle(new Uint8Array(await res.arrayBuffer()))), catalog);
}
