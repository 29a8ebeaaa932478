import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { parseCatalog, type Catalog, type CatalogJson } from '../src/core/catalog';
import { LocalrecError } from '../src/core/errors';
import type { CleanEvent } from '../src/core/events';
import type { Profile } from '../src/core/profile/state';
import { catalogBlobs, catalogFromBlobs, catalogFromBuffers, type CatalogBlobs } from './catalog-record';
import { newStorageKey, Sealer, type Sealed } from './sealer';
import type { CatalogTag, EngineStorage, NewEvent, StoredCatalog, StoredEvent } from './storage';

/**
 * The engine's IndexedDB schema. Bump SCHEMA_VERSION and add a step to `upgrade` for every
 * change; never edit a past step, so any stored database can be brought forward.
 * - 1: `events` (one plain record per event), `profile`, `catalogs`, `meta`.
 * - 2: events are kept sealed, one record per written batch, in `chunks`; the profile is sealed;
 *   the key is in `meta`. Plain version-1 data is sealed by `sealLegacy` after opening.
 */
export const SCHEMA_VERSION = 2;

const DAY_MS = 86_400_000;

/** How long a deletion waits for other tabs to let go of the database before going on. */
const DELETE_WAIT_MS = 3000;

/** One written batch of events, sealed; times and page-given ids stay readable for retention and replays. */
interface Chunk { id?: number; first: number; last: number; numbers: number[]; eventIds: string[]; sealed: Sealed }

interface LocalrecDB extends DBSchema {
  events: { key: number; value: { id?: number; event: CleanEvent }; indexes: { time: number } };
  chunks: { key: number; value: Chunk; indexes: { last: number } };
  profile: { key: 'current'; value: Sealed | Profile };
  /**
   * A cached catalog as built: `blobs` (catalog-record.ts), the store's public data, not sealed.
   * Databases written by older SDKs hold it sealed as built (`built`), or as JSON, `sealed` or
   * plain `json`: still read, and replaced by the next download.
   */
  catalogs: { key: string; value: Omit<StoredCatalog, 'catalog' | 'etag' | 'checkedAt'> & { blobs?: CatalogBlobs; built?: { about: Sealed; matrix: Sealed; prior: Sealed }; sealed?: Sealed; json?: CatalogJson } };
  /**
   * Small settings: per catalog source its version, ETag and when the server last confirmed it
   * (`catalog:`, `catalog-etag:`, `catalog-checked:`), the key, the next event number, how many
   * events are stored, `setting:*` (storage.ts).
   */
  meta: { key: string; value: string | number | CryptoKey };
}

/** The engine's storage in the browser: IndexedDB through idb, sealed with a WebCrypto key. */
export class IdbStorage implements EngineStorage {
  readonly mode = 'indexeddb';

  private constructor(
    private readonly db: IDBPDatabase<LocalrecDB>,
    private readonly sealer: Sealer,
    private readonly name: string,
    private readonly connection: { open: boolean },
  ) {}

  /**
   * Opens (creating or upgrading) the database. A database from a newer SDK (a rollback) throws
   * `storage_failed` naming the versions, so the engine can fall back to memory.
   */
  static async open(name: string): Promise<IdbStorage> {
    if (typeof crypto === 'undefined' || !crypto.subtle) {
      // WebCrypto exists only in secure contexts: on a plain-http page nothing could be sealed.
      throw new LocalrecError('storage_failed', 'This page is not served over https, so WebCrypto cannot seal what is stored; nothing is written to disk.');
    }
    let db: IDBPDatabase<LocalrecDB>;
    const connection = { open: true };
    try {
      db = await openDB<LocalrecDB>(name, SCHEMA_VERSION, {
        upgrade(db, oldVersion) {
          if (oldVersion < 1) {
            const events = db.createObjectStore('events', { keyPath: 'id', autoIncrement: true });
            events.createIndex('time', 'event.time');
            db.createObjectStore('profile');
            db.createObjectStore('catalogs', { keyPath: 'version' });
            db.createObjectStore('meta');
          }
          if (oldVersion < 2) {
            const chunks = db.createObjectStore('chunks', { keyPath: 'id', autoIncrement: true });
            chunks.createIndex('last', 'last');
          }
        },
        blocking() {
          // Another tab deletes (forget()) or upgrades the database: let it; the engine re-opens.
          connection.open = false;
          db.close();
        },
        terminated() {
          connection.open = false;
        },
      });
    } catch (e) {
      const newer = e instanceof Error && e.name === 'VersionError';
      throw storageError(newer ? `open the database: it was written by a newer localrec (schema above ${SCHEMA_VERSION})` : 'open the database', e);
    }
    try {
      const storage = new IdbStorage(db, new Sealer(await keyOf(db)), name, connection);
      await storage.sealLegacy();
      return storage;
    } catch (e) {
      db.close();
      throw e instanceof LocalrecError ? e : storageError('prepare the database', e);
    }
  }

  async loadProfile(): Promise<unknown> {
    return this.guard('read the profile', async () => {
      const stored = await this.db.get('profile', 'current');
      return isSealed(stored) ? this.sealer.open(stored) : stored;
    });
  }

  async appendEvents(events: readonly NewEvent[], profile: Profile): Promise<number[]> {
    if (events.length === 0) {
      await this.saveProfile(profile);
      return [];
    }
    // A chunk never spans more than one UTC day, so retention can drop whole chunks by their
    // oldest event without keeping an old event for the sake of a newer one (or the reverse beyond a day).
    const byDay = new Map<number, (NewEvent & { i: number })[]>();
    events.forEach((e, i) => {
      const day = Math.floor(e.event.time / DAY_MS);
      const group = byDay.get(day) ?? [];
      if (group.length === 0) byDay.set(day, group);
      group.push({ ...e, i });
    });
    const days = [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([, group]) => group);
    const [sealedProfile, ...sealedDays] = await Promise.all([this.sealer.seal(profile), ...days.map((group) => this.sealer.seal(group.map((e) => e.event)))]);
    // Two round trips to the database: both counters read together, then every write sent at once
    // (requests of one transaction run in order) and awaited with its commit. Awaiting each write
    // in turn made a batch's transaction several times longer.
    const write = async () => {
      const tx = this.db.transaction(['chunks', 'profile', 'meta'], 'readwrite');
      const meta = tx.objectStore('meta');
      const [next, stored] = await Promise.all([meta.get('nextEvent'), meta.get('storedEvents')]);
      const first = Number(next ?? 1);
      const chunks = days.map((group, d) => {
        const times = group.map((e) => e.event.time);
        return tx.objectStore('chunks').add({
          first: Math.min(...times), last: Math.max(...times), numbers: group.map((e) => first + e.i),
          eventIds: group.every((e) => e.eventId !== undefined) ? group.map((e) => e.eventId!) : [], sealed: sealedDays[d]!,
        });
      });
      await Promise.all([
        ...chunks,
        meta.put(first + events.length, 'nextEvent'),
        meta.put(Number(stored ?? 0) + events.length, 'storedEvents'),
        tx.objectStore('profile').put(sealedProfile, 'current'),
        tx.done,
      ]);
      return events.map((_, i) => first + i);
    };
    try {
      return await write();
    } catch (e) {
      if (!isQuota(e)) throw storageError('store the events', e);
    }
    // Full: the oldest half of the raw log goes (the profile keeps what it taught), then one retry.
    await this.dropChunks('make room', (chunks) => chunks.slice(0, Math.max(1, Math.ceil(chunks.length / 2))));
    return this.guard('store the events (the storage quota is exhausted)', write);
  }

  async recentEventIds(limit: number): Promise<Map<string, number>> {
    return this.guard('read recent event ids', async () => {
      const out = new Map<string, number>();
      let cursor = await this.db.transaction('chunks').store.openCursor(null, 'prev');
      for (let seen = 0; cursor && seen < limit; cursor = await cursor.continue()) {
        const { numbers, eventIds } = cursor.value;
        // Ids are recorded per event when every event of the batch had one (the facade gives them all one).
        if (numbers.length === eventIds.length) eventIds.forEach((id, i) => out.set(id, numbers[i]!));
        seen += numbers.length;
      }
      return out;
    });
  }

  async saveProfile(profile: Profile): Promise<void> {
    const sealed = await this.sealer.seal(profile);
    await this.guard('store the profile', () => this.db.put('profile', sealed, 'current'));
  }

  async countEvents(): Promise<number> {
    return this.guard('count events', async () => Number((await this.db.get('meta', 'storedEvents')) ?? 0));
  }

  async readEvents(): Promise<StoredEvent[]> {
    return this.guard('read the event log', async () => {
      const out: StoredEvent[] = [];
      for (const chunk of await this.db.getAll('chunks')) {
        const events = (await this.sealer.open(chunk.sealed)) as CleanEvent[];
        const withIds = chunk.numbers.length === chunk.eventIds.length;
        events.forEach((event, i) => {
          const stored: StoredEvent = { id: chunk.numbers[i]!, event };
          if (withIds) stored.eventId = chunk.eventIds[i]!;
          out.push(stored);
        });
      }
      // Chunks are per day, so one batch's events may sit in several: give them back in the order they were tracked.
      return out.sort((a, b) => a.id - b.id);
    });
  }

  async prune(before: number, keep: number): Promise<number> {
    return this.dropChunks('age out old events', (chunks) => {
      let total = chunks.reduce((n, c) => n + c.numbers.length, 0);
      const out: Chunk[] = [];
      // Whole chunks go, oldest first: one goes when its oldest event is out of the window (a chunk
      // spans at most a day) or while the log holds more than `keep` events.
      for (const c of chunks) {
        if (c.first >= before && total <= keep) break;
        out.push(c);
        total -= c.numbers.length;
      }
      return out;
    });
  }

  async cachedCatalog(source: string): Promise<StoredCatalog | undefined> {
    return this.guard('read the catalog cache', async () => {
      const version = await this.db.get('meta', `catalog:${source}`);
      const record = typeof version === 'string' ? await this.db.get('catalogs', version) : undefined;
      if (!record) return undefined;
      const { blobs, sealed, json, built, ...about } = record;
      if (blobs) {
        try {
          return { ...about, catalog: await catalogFromBlobs(blobs) };
        } catch (e) {
          // Damaged: dropped, so the download that replaces it is written (an unchanged version would not be).
          await this.forgetCatalog(source, record.version).catch(() => undefined);
          throw e;
        }
      }
      if (built) {
        const [parts, matrix, prior] = await Promise.all([this.sealer.openBytes(built.about), this.sealer.openBytes(built.matrix), this.sealer.openBytes(built.prior)]);
        return { ...about, outdated: true, catalog: catalogFromBuffers(new TextDecoder().decode(parts), matrix, prior) };
      }
      // Cached by an older SDK as JSON (sealed, or plain before sealing): built again.
      return { ...about, outdated: true, catalog: parseCatalog(sealed ? await this.sealer.open(sealed) : json) };
    });
  }

  async cachedCatalogTag(source: string): Promise<CatalogTag | undefined> {
    return this.guard('read the catalog cache', async () => {
      const [version, etag, checkedAt] = await Promise.all(['catalog', 'catalog-etag', 'catalog-checked'].map((k) => this.db.get('meta', `${k}:${source}`)));
      if (typeof version !== 'string') return undefined;
      return { version, ...(typeof etag === 'string' ? { etag } : {}), ...(typeof checkedAt === 'number' ? { checkedAt } : {}) };
    });
  }

  async catalogChecked(source: string, at: number): Promise<void> {
    await this.guard('note the catalog check', () => this.db.put('meta', at, `catalog-checked:${source}`));
  }

  /**
   * Not sealed: the catalog is the store's public data, the same for every shopper (SECURITY.md).
   * The version already cached for the source is not written again (at 100,000 items with
   * embeddings that was most of a warm start); only its ETag and check time are noted.
   */
  async cacheCatalog(source: string, catalog: Catalog, etag?: string, checkedAt?: number): Promise<void> {
    const key = `catalog:${source}` as const;
    const setTag = async (meta: { put(v: string | number, k: string): Promise<unknown>; delete(k: string): Promise<unknown> }) => {
      await (etag === undefined ? meta.delete(`catalog-etag:${source}`) : meta.put(etag, `catalog-etag:${source}`));
      await (checkedAt === undefined ? meta.delete(`catalog-checked:${source}`) : meta.put(checkedAt, `catalog-checked:${source}`));
    };
    const cached = await this.guard('read the catalog cache', () => this.db.get('meta', key));
    // The record itself is read for its form only: its Blobs' contents are not.
    if (cached === catalog.version && (await this.guard('read the catalog cache', () => this.db.get('catalogs', catalog.version)))?.blobs !== undefined) {
      await this.guard('cache the catalog', async () => {
        const tx = this.db.transaction('meta', 'readwrite');
        await setTag(tx.store);
        await tx.done;
      });
      return;
    }
    const blobs = catalogBlobs(catalog);
    await this.guard('cache the catalog', async () => {
      // The record first, in a transaction of its own: its megabytes do not hold up the event
      // writes, which share `meta` with the step after. Nothing reads it until `meta` names it.
      await this.db.put('catalogs', { version: catalog.version, source, storedAt: Date.now(), blobs });
      const tx = this.db.transaction(['catalogs', 'meta'], 'readwrite');
      const catalogs = tx.objectStore('catalogs');
      const meta = tx.objectStore('meta');
      // One version per source is kept: the one the meta entry names is the one to drop.
      const old = await meta.get(key);
      if (typeof old === 'string' && old !== catalog.version && (await catalogs.get(old))?.source === source) await catalogs.delete(old);
      await meta.put(catalog.version, key);
      await setTag(meta);
      await tx.done;
    });
  }

  /** Drops the cached catalog of `source` and what is noted about it. */
  private async forgetCatalog(source: string, version: string): Promise<void> {
    const tx = this.db.transaction(['catalogs', 'meta'], 'readwrite');
    await Promise.all([tx.objectStore('catalogs').delete(version), ...['catalog', 'catalog-etag', 'catalog-checked'].map((k) => tx.objectStore('meta').delete(`${k}:${source}`)), tx.done]);
  }

  async readSetting(key: string): Promise<string | undefined> {
    const value = await this.guard('read a setting', () => this.db.get('meta', `setting:${key}`));
    return typeof value === 'string' ? value : undefined;
  }

  async writeSetting(key: string, value: string): Promise<void> {
    await this.guard('store a setting', () => this.db.put('meta', value, `setting:${key}`));
  }

  async destroy(): Promise<void> {
    // Emptied first, so the data is gone even if another tab's open connection holds up the deletion.
    await this.guard('clear the database', async () => {
      const names = ['events', 'chunks', 'profile', 'catalogs', 'meta'] as const;
      const tx = this.db.transaction(names, 'readwrite');
      await Promise.all(names.map((n) => tx.objectStore(n).clear()));
      await tx.done;
    });
    this.close();
    await IdbStorage.deleteDatabase(this.name);
  }

  /**
   * Deletes a database by name. Another tab's open connection can hold a deletion up for as long
   * as that tab lives, so this waits at most DELETE_WAIT_MS: callers empty or never open it first.
   */
  static async deleteDatabase(name: string): Promise<void> {
    const deleted = deleteDB(name).catch(() => undefined);
    await Promise.race([deleted, new Promise((r) => setTimeout(r, DELETE_WAIT_MS))]);
  }

  isOpen(): boolean {
    return this.connection.open;
  }

  close(): void {
    this.connection.open = false;
    this.db.close();
  }

  /** Seals plain events and profile left by schema 1, in one step. */
  private async sealLegacy(): Promise<void> {
    const [events, profile] = await Promise.all([this.db.getAll('events'), this.db.get('profile', 'current')]);
    if (events.length === 0 && (profile === undefined || isSealed(profile))) return;
    const plainProfile = profile !== undefined && !isSealed(profile) ? await this.sealer.seal(profile) : undefined;
    const chunk = events.length ? await this.sealer.seal(events.map((e) => e.event)) : undefined;
    const tx = this.db.transaction(['events', 'chunks', 'profile', 'meta'], 'readwrite');
    if (chunk) {
      const times = events.map((e) => e.event.time);
      await tx.objectStore('chunks').add({ first: Math.min(...times), last: Math.max(...times), numbers: events.map((e) => e.id!), eventIds: [], sealed: chunk });
      await tx.objectStore('meta').put(Math.max(...events.map((e) => e.id!)) + 1, 'nextEvent');
      await tx.objectStore('meta').put(events.length, 'storedEvents');
      await tx.objectStore('events').clear();
    }
    if (plainProfile) await tx.objectStore('profile').put(plainProfile, 'current');
    await tx.done;
  }

  /** Deletes the batches `pick` chooses (given oldest first), keeping the event count true; returns how many events went. */
  private async dropChunks(what: string, pick: (chunks: Chunk[]) => Chunk[]): Promise<number> {
    return this.guard(what, async () => {
      const tx = this.db.transaction(['chunks', 'meta'], 'readwrite');
      const chunks = tx.objectStore('chunks');
      let dropped = 0;
      for (const c of pick(await chunks.getAll())) {
        await chunks.delete(c.id!);
        dropped += c.numbers.length;
      }
      const meta = tx.objectStore('meta');
      await meta.put(Math.max(0, Number((await meta.get('storedEvents')) ?? 0) - dropped), 'storedEvents');
      await tx.done;
      return dropped;
    });
  }

  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw e instanceof LocalrecError ? e : storageError(what, e);
    }
  }
}

async function keyOf(db: IDBPDatabase<LocalrecDB>): Promise<CryptoKey> {
  const isKey = (v: unknown): v is CryptoKey => typeof v === 'object' && v !== null && (v as CryptoKey).type === 'secret';
  const found = await db.get('meta', 'key');
  if (isKey(found)) return found;
  // Made before the transaction (an await on anything but IndexedDB would end it), then kept only
  // if no key is there yet: two tabs creating the database at once agree on one key.
  const candidate = await newStorageKey();
  const tx = db.transaction('meta', 'readwrite');
  const stored = await tx.store.get('key');
  const key = isKey(stored) ? stored : candidate;
  if (key === candidate) await tx.store.put(key, 'key');
  await tx.done;
  return key;
}

function isSealed(v: unknown): v is Sealed {
  return typeof v === 'object' && v !== null && (v as Sealed).iv instanceof Uint8Array && (v as Sealed).data instanceof ArrayBuffer;
}

function isQuota(e: unknown): boolean {
  return e instanceof Error && (e.name === 'QuotaExceededError' || /quota/i.test(e.message));
}

function storageError(what: string, e: unknown): LocalrecError {
  const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new LocalrecError('storage_failed', `IndexedDB could not ${what} (${why}). Nothing was changed.`);
}
