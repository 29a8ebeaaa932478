import { parseCatalog, type Catalog, type CatalogJson } from '../src/core/catalog';
import { decodeCompactCatalog, isCompactCatalog } from '../src/core/catalog-compact';
import { LocalrecError } from '../src/core/errors';
import type { Progress } from '../src/protocol';
import { releaseEmbeddings } from './catalog-record';
import { download, readBytes, type Fetcher } from './downloads';
import type { EngineStorage, StoredCatalog } from './storage';

/** The catalog for this start, and why the cached copy is used instead of the download, when it is. */
export interface LoadedCatalog { catalog: Catalog; cachedBecause?: string }

/**
 * The catalog for this start. The copy cached on this device is revalidated with the server's
 * ETag (If-None-Match): a 304 starts from the cached, already built catalog without downloading
 * or parsing anything. Otherwise a fresh download wins and is cached; if it fails or is invalid,
 * the cached catalog of the same source is used (with the reason, for ready()), so a shopper
 * offline or a bad publish does not lose personalisation.
 */
export async function loadCatalog(
  source: string | CatalogJson, storage: EngineStorage, fetcher: Fetcher, onProgress?: (p: Progress) => void,
): Promise<LoadedCatalog> {
  if (typeof source !== 'string') return { catalog: releaseEmbeddings(parseCatalog(source)) };
  let fresh: Catalog | undefined;
  let failure: LocalrecError | undefined;
  let cachedRead: Promise<StoredCatalog | undefined> | undefined;
  try {
    const tag = await storage.cachedCatalogTag(source).catch(() => undefined);
    onProgress?.({ status: 'download', url: source });
    // Read while the server is asked: a 304 (the usual answer) then finds the catalog ready.
    if (tag?.etag !== undefined) cachedRead = storage.cachedCatalog(source).catch(() => undefined);
    let res = await download(fetcher, source, 'catalog', 'catalog_fetch_failed', tag?.etag);
    if (res.status === 304) {
      const cached = await cachedRead;
      if (cached) {
        onProgress?.({ status: 'cached', version: cached.version });
        return { catalog: cached.catalog };
      }
      // The cached copy is gone or unreadable: the whole catalog after all.
      res = await download(fetcher, source, 'catalog', 'catalog_fetch_failed');
    }
    // Each step of a large catalog holds the worker for a while (seconds at 100,000 items on a
    // busy phone): between them it answers the page's heartbeat, which gives up after 6 s.
    const json = catalogJson(await readBytes(res, onProgress), source);
    await breather();
    fresh = releaseEmbeddings(parseCatalog(json));
    await breather();
    await storage.cacheCatalog(source, fresh, res.headers.get('etag') ?? undefined);
  } catch (e) {
    failure = e instanceof LocalrecError ? e : new LocalrecError('catalog_fetch_failed', `Could not load the catalog from ${source}: ${String(e)}`);
  }
  // A catalog that downloaded and parsed ranks even when caching it failed.
  if (fresh) return { catalog: fresh };
  const cached = await (cachedRead ?? storage.cachedCatalog(source));
  if (!cached) throw failure!;
  onProgress?.({ status: 'cached', version: cached.version });
  return { catalog: cached.catalog, cachedBecause: `${failure!.message} The copy cached on this device (version ${cached.version}) is used.` };
}

/** A turn of the event loop, so messages waiting for the worker (the heartbeat's pings) are answered. */
function breather(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A downloaded catalog: the compact format (catalog-compact.ts) by its magic bytes, else JSON v1. */
export function catalogJson(bytes: Uint8Array, url: string): unknown {
  if (isCompactCatalog(bytes)) return decodeCompactCatalog(bytes);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new LocalrecError('invalid_catalog', `The catalog at ${url} is not valid JSON.`);
  }
}
