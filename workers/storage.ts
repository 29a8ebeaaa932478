import type { Catalog } from '../src/core/catalog';
import type { CleanEvent } from '../src/core/events';
import type { Profile } from '../src/core/profile/state';

/**
 * A catalog as cached for warm and offline starts: built, ready to rank; `etag` is the server's
 * for that copy; `outdated` when an older SDK stored it in a slower form (sealed, or as JSON), so
 * it is worth writing again although its version is cached.
 */
export interface StoredCatalog { version: string; source: string; storedAt: number; etag?: string; catalog: Catalog; outdated?: true }

/**
 * What is noted beside a cached catalog, readable without reading the catalog: its version, the
 * server's ETag for it, and when the server last confirmed it (downloaded it, or answered 304),
 * ms since the epoch: how old the cached copy may be (catalog-loader.ts decides).
 */
export interface CatalogTag { version: string; etag?: string; checkedAt?: number }

/** An event as kept in the raw log, with its number and the id the page gave it (for replays). */
export interface StoredEvent { id: number; eventId?: string; event: CleanEvent }

/** An event to append: the id the page gave it, when it gave one. */
export interface NewEvent { eventId?: string; event: CleanEvent }

/** Where what the engine learns is kept: on disk, or in memory only (consent pending, storage unavailable). */
export type StorageMode = 'indexeddb' | 'memory';

/**
 * Where the engine keeps what it must not lose. Every method either completes or rejects with
 * `LocalrecError('storage_failed')` and changes nothing. IndexedDB in the browser
 * (idb-storage.ts), memory otherwise (memory-storage.ts); any other store implements the same
 * and is handed to the engine through `EngineHost.openStorage`.
 */
export interface EngineStorage {
  readonly mode: StorageMode;
  /** The stored profile as found: the engine checks its shape (it may be old or damaged). */
  loadProfile(): Promise<unknown>;
  /** Appends events and stores the profile they produced, together: all land or none. Returns their numbers. */
  appendEvents(events: readonly NewEvent[], profile: Profile): Promise<number[]>;
  /**
   * The page-given ids of the most recent `limit` stored events, with their numbers: what a
   * facade replaying after a worker crash may send again.
   */
  recentEventIds(limit: number): Promise<Map<string, number>>;
  saveProfile(profile: Profile): Promise<void>;
  countEvents(): Promise<number>;
  /** The raw event log, oldest first. */
  readEvents(): Promise<StoredEvent[]>;
  /** Ages out raw events older than `before` (epoch ms) and all but the newest `keep`; returns how many went. */
  prune(before: number, keep: number): Promise<number>;
  cachedCatalog(source: string): Promise<StoredCatalog | undefined>;
  /** The version, ETag and last check of the catalog cached for `source`, without reading the catalog itself (to revalidate it). */
  cachedCatalogTag(source: string): Promise<CatalogTag | undefined>;
  /** Notes that the server confirmed the cached catalog of `source` at `at` (it answered 304). */
  catalogChecked(source: string, at: number): Promise<void>;
  /**
   * Caches a built catalog (with the server's ETag for it and when it was downloaded) under its
   * version and drops the other version of the same source; a catalog whose version is already
   * the one cached for the source is not written again (only the ETag and time are noted) unless
   * it is stored in an older form (`outdated`).
   */
  cacheCatalog(source: string, catalog: Catalog, etag?: string, checkedAt?: number): Promise<void>;
  /** A small setting kept for this device (the remembered backend choice); undefined when none is kept. */
  readSetting(key: string): Promise<string | undefined>;
  writeSetting(key: string, value: string): Promise<void>;
  /** False once the storage was closed, by `close()` or by another tab deleting or upgrading the database. */
  isOpen(): boolean;
  /** Deletes everything: events, profile, caches, and the storage itself with its key. The instance is closed after. */
  destroy(): Promise<void>;
  close(): void;
}
