import type { CatalogJson } from '../src/core/catalog';
import type { CleanEvent } from '../src/core/events';
import type { Profile } from '../src/core/profile/state';

/** A catalog as cached for offline starts. */
export interface StoredCatalog { version: string; source: string; storedAt: number; json: CatalogJson }

/**
 * Where the engine keeps what it must not lose. Every method either completes or rejects with
 * `LocalrecError('storage_failed')` and changes nothing. IndexedDB in the browser
 * (idb-storage.ts); any other store (memory, a native bridge) implements the same and is handed
 * to the engine through `EngineHost.openStorage`.
 */
export interface EngineStorage {
  loadProfile(): Promise<Profile | undefined>;
  /** Stores the event and the profile it produced together: both land or neither. */
  appendEvent(event: CleanEvent, profile: Profile): Promise<number>;
  saveProfile(profile: Profile): Promise<void>;
  countEvents(): Promise<number>;
  cachedCatalog(source: string): Promise<StoredCatalog | undefined>;
  /** Caches a validated catalog under its version and drops other versions of the same source. */
  cacheCatalog(source: string, json: CatalogJson): Promise<void>;
  /** Wipes everything stored about the shopper and the caches. */
  clear(): Promise<void>;
  close(): void;
}
