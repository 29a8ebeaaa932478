import { parseCatalog, type Catalog, type CatalogJson } from '../src/core/catalog';
import { isCompactCatalog, parseCompactCatalog } from '../src/core/catalog-compact';
import { LocalrecError } from '../src/core/errors';
import type { Progress } from '../src/protocol';
import { releaseEmbeddings } from './catalog-record';
import { download, readBytes, type Fetcher } from './downloads';
import type { EngineStorage, StoredCatalog } from './storage';

/**
 * How long a cached catalog may answer before the server is asked: one the server confirmed
 * (downloaded, or answered 304 to) less than this long ago starts the engine at once while it is
 * revalidated in the background; an older one waits for the server's answer, as a first visit
 * does (and is used only if the server cannot be reached: `catalogStale`).
 */
export const CATALOG_MAX_AGE_MS = 24 * 3_600_000;

/**
 * A catalog downloaded and built, and the write that caches it in the storage the engine has then
 * (run after ready(): seconds at 100,000 items, which the first answer need not wait for).
 */
export interface FreshCatalog { catalog: Catalog; cache: (storage: EngineStorage) => Promise<void> }

/** The catalog for this start, and why the cached copy is used instead of the download, when it is. */
export interface LoadedCatalog {
  catalog: Catalog;
  cachedBecause?: string;
  /** A download to cache once the engine is ready. */
  cache?: FreshCatalog['cache'];
  /**
   * Set when the cached catalog answers without waiting for the server: asks the server (If-None-Match)
   * and resolves with the new catalog when it has one, undefined when the cached one is current.
   */
  revalidate?: () => Promise<FreshCatalog | undefined>;
}

/**
 * The catalog for this start. A cached copy the server confirmed within CATALOG_MAX_AGE_MS is
 * used at once, and `revalidate` asks the server afterwards (stale-while-revalidate). Otherwise
 * the copy is revalidated first with the server's ETag (If-None-Match): a 304 starts from it
 * without downloading or parsing anything; a 200 is parsed and built, and cached after ready()
 * (`cache`). If the download fails or is invalid, the cached catalog of the same source is used
 * however old (with the reason, for ready()), so a shopper offline or a bad publish does not lose
 * personalisation.
 */
export async function loadCatalog(
  source: string | CatalogJson, storage: EngineStorage, fetcher: Fetcher, now: number, onProgress?: (p: Progress) => void,
): Promise<LoadedCatalog> {
  if (typeof source !== 'string') return { catalog: releaseEmbeddings(parseCatalog(source)) };
  const tag = await storage.cachedCatalogTag(source).catch(() => undefined);
  if (tag?.checkedAt !== undefined && now - tag.checkedAt >= 0 && now - tag.checkedAt < CATALOG_MAX_AGE_MS) {
    const cached = await storage.cachedCatalog(source).catch(() => undefined);
    if (cached?.version === tag.version) {
      onProgress?.({ status: 'cached', version: cached.version });
      return { catalog: cached.catalog, ...rewrite(cached, source, tag.etag, now), revalidate: () => revalidate(source, cached, tag.etag, storage, fetcher, now) };
    }
  }
  let failure: LocalrecError | undefined;
  let cachedRead: Promise<StoredCatalog | undefined> | undefined;
  try {
    onProgress?.({ status: 'download', url: source });
    // Read while the server is asked: a 304 then finds the catalog ready.
    if (tag?.etag !== undefined) cachedRead = storage.cachedCatalog(source).catch(() => undefined);
    let res = await download(fetcher, source, 'catalog', 'catalog_fetch_failed', tag?.etag);
    if (res.status === 304) {
      const cached = await cachedRead;
      if (cached) {
        await storage.catalogChecked(source, now).catch(() => undefined);
        onProgress?.({ status: 'cached', version: cached.version });
        return { catalog: cached.catalog, ...rewrite(cached, source, tag?.etag, now) };
      }
      // The cached copy is gone or unreadable: the whole catalog after all.
      res = await download(fetcher, source, 'catalog', 'catalog_fetch_failed');
    }
    const fresh = await built(res, source, now, onProgress);
    return { catalog: fresh.catalog, cache: fresh.cache };
  } catch (e) {
    failure = e instanceof LocalrecError ? e : new LocalrecError('catalog_fetch_failed', `Could not load the catalog from ${source}: ${String(e)}`);
  }
  const cached = await (cachedRead ?? storage.cachedCatalog(source).catch(() => undefined));
  if (!cached) throw failure;
  onProgress?.({ status: 'cached', version: cached.version });
  return { catalog: cached.catalog, cachedBecause: `${failure.message} The copy cached on this device (version ${cached.version}) is used.` };
}

/**
 * Asks the server whether `cached` is current. A 304, or a download of the same version, notes
 * the check and resolves undefined; a new version resolves built, with its cache write. Rejects
 * when the server cannot be reached or the download is invalid: the cached catalog stays.
 */
async function revalidate(source: string, cached: StoredCatalog, etag: string | undefined, storage: EngineStorage, fetcher: Fetcher, now: number): Promise<FreshCatalog | undefined> {
  const res = await download(fetcher, source, 'catalog', 'catalog_fetch_failed', etag);
  if (res.status !== 304) {
    const fresh = await built(res, source, now);
    if (fresh.catalog.version !== cached.version) return fresh;
    await fresh.cache(storage);
    return undefined;
  }
  await storage.catalogChecked(source, now).catch(() => undefined);
  return undefined;
}

/** For a copy an older SDK stored in a slower form: the write that stores it as this one does (after ready()). */
function rewrite(cached: StoredCatalog, source: string, etag: string | undefined, now: number): Pick<LoadedCatalog, 'cache'> {
  return cached.outdated ? { cache: (into) => into.cacheCatalog(source, cached.catalog, etag, now) } : {};
}

/** A downloaded catalog, parsed and built, and the write that caches it with the server's ETag. */
async function built(res: Response, source: string, now: number, onProgress?: (p: Progress) => void): Promise<FreshCatalog> {
  const etag = res.headers.get('etag') ?? undefined;
  // Each step of a large catalog holds the worker for a while (seconds at 100,000 items on a
  // busy phone): between them it answers the page's heartbeat, which gives up after 6 s.
  const bytes = await readBytes(res, onProgress);
  await breather();
  const catalog = catalogFromBytes(bytes, source);
  await breather();
  return { catalog, cache: (into) => into.cacheCatalog(source, catalog, etag, now) };
}

/** A turn of the event loop, so messages waiting for the worker (the heartbeat's pings) are answered. */
function breather(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * A downloaded catalog, built: the compact format (catalog-compact.ts, by its magic bytes) straight
 * from its bytes, else JSON v1; the items' embedding lists dropped once the matrix holds them.
 */
export function catalogFromBytes(bytes: Uint8Array, url: string): Catalog {
  if (isCompactCatalog(bytes)) return releaseEmbeddings(parseCompactCatalog(bytes));
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new LocalrecError('invalid_catalog', `The catalog at ${url} is not valid JSON.`);
  }
  return releaseEmbeddings(parseCatalog(json));
}
