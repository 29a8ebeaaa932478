import { parseCatalog, type Catalog, type CatalogJson } from '../src/core/catalog';
import { LocalrecError } from '../src/core/errors';
import type { Progress } from '../src/protocol';
import { download, readText, type Fetcher } from './downloads';
import type { EngineStorage } from './storage';

/** The catalog for this start, and why the cached copy is used instead of the download, when it is. */
export interface LoadedCatalog { catalog: Catalog; cachedBecause?: string }

/**
 * The catalog for this start. A fresh download wins and is cached; if it fails or is invalid,
 * the cached catalog of the same source is used (with the reason, for ready()), so a shopper
 * offline or a bad publish does not lose personalisation.
 */
export async function loadCatalog(
  source: string | CatalogJson, storage: EngineStorage, fetcher: Fetcher, onProgress?: (p: Progress) => void,
): Promise<LoadedCatalog> {
  if (typeof source !== 'string') return { catalog: parseCatalog(source) };
  let fresh: Catalog | undefined;
  let failure: LocalrecError | undefined;
  try {
    const json = await downloadJson(source, fetcher, onProgress);
    fresh = parseCatalog(json);
    await storage.cacheCatalog(source, json as CatalogJson);
  } catch (e) {
    failure = e instanceof LocalrecError ? e : new LocalrecError('catalog_fetch_failed', `Could not load the catalog from ${source}: ${String(e)}`);
  }
  // A catalog that downloaded and parsed ranks even when caching it failed.
  if (fresh) return { catalog: fresh };
  const cached = await storage.cachedCatalog(source);
  if (!cached) throw failure!;
  onProgress?.({ status: 'cached', version: cached.version });
  return { catalog: parseCatalog(cached.json), cachedBecause: `${failure!.message} The copy cached on this device (version ${cached.version}) is used.` };
}

async function downloadJson(url: string, fetcher: Fetcher, onProgress?: (p: Progress) => void): Promise<unknown> {
  onProgress?.({ status: 'download', url });
  const text = await readText(await download(fetcher, url, 'catalog', 'catalog_fetch_failed'), onProgress);
  try {
    return JSON.parse(text);
  } catch {
    throw new LocalrecError('invalid_catalog', `The catalog at ${url} is not valid JSON.`);
  }
}
