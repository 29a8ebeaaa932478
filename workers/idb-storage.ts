import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CatalogJson } from '../src/core/catalog';
import { LocalrecError } from '../src/core/errors';
import type { CleanEvent } from '../src/core/events';
import type { Profile } from '../src/core/profile/state';
import type { EngineStorage, StoredCatalog } from './storage';

/**
 * The engine's IndexedDB schema. Bump SCHEMA_VERSION and add a step to `upgrade` for every
 * change; never edit a past step, so any stored database can be brought forward.
 */
export const SCHEMA_VERSION = 1;

interface StoredEvent { id?: number; event: CleanEvent }

interface LocalrecDB extends DBSchema {
  events: { key: number; value: StoredEvent; indexes: { time: number } };
  profile: { key: 'current'; value: Profile };
  catalogs: { key: string; value: StoredCatalog };
  /** Small settings: which catalog version each source last resolved to. */
  meta: { key: string; value: string };
}

/** The engine's storage in the browser: IndexedDB through idb. */
export class IdbStorage implements EngineStorage {
  private constructor(private readonly db: IDBPDatabase<LocalrecDB>) {}

  static async open(name: string): Promise<IdbStorage> {
    try {
      const db = await openDB<LocalrecDB>(name, SCHEMA_VERSION, {
        upgrade(db, oldVersion) {
          if (oldVersion < 1) {
            const events = db.createObjectStore('events', { keyPath: 'id', autoIncrement: true });
            events.createIndex('time', 'event.time');
            db.createObjectStore('profile');
            db.createObjectStore('catalogs', { keyPath: 'version' });
            db.createObjectStore('meta');
          }
        },
      });
      return new IdbStorage(db);
    } catch (e) {
      throw storageError('open the database', e);
    }
  }

  async loadProfile(): Promise<Profile | undefined> {
    return this.guard('read the profile', () => this.db.get('profile', 'current'));
  }

  async appendEvent(event: CleanEvent, profile: Profile): Promise<number> {
    return this.guard('store the event', async () => {
      const tx = this.db.transaction(['events', 'profile'], 'readwrite');
      const id = await tx.objectStore('events').add({ event });
      await tx.objectStore('profile').put(profile, 'current');
      await tx.done;
      return id;
    });
  }

  async saveProfile(profile: Profile): Promise<void> {
    await this.guard('store the profile', () => this.db.put('profile', profile, 'current'));
  }

  async countEvents(): Promise<number> {
    return this.guard('count events', () => this.db.count('events'));
  }

  async cachedCatalog(source: string): Promise<StoredCatalog | undefined> {
    return this.guard('read the catalog cache', async () => {
      const version = await this.db.get('meta', `catalog:${source}`);
      return version === undefined ? undefined : this.db.get('catalogs', version);
    });
  }

  async cacheCatalog(source: string, json: CatalogJson): Promise<void> {
    await this.guard('cache the catalog', async () => {
      const tx = this.db.transaction(['catalogs', 'meta'], 'readwrite');
      const catalogs = tx.objectStore('catalogs');
      for (const old of await catalogs.getAll()) if (old.source === source && old.version !== json.version) await catalogs.delete(old.version);
      await catalogs.put({ version: json.version, source, storedAt: Date.now(), json });
      await tx.objectStore('meta').put(json.version, `catalog:${source}`);
      await tx.done;
    });
  }

  async clear(): Promise<void> {
    await this.guard('clear the database', async () => {
      const tx = this.db.transaction(['events', 'profile', 'catalogs', 'meta'], 'readwrite');
      await Promise.all([tx.objectStore('events').clear(), tx.objectStore('profile').clear(), tx.objectStore('catalogs').clear(), tx.objectStore('meta').clear()]);
      await tx.done;
    });
  }

  close(): void {
    this.db.close();
  }

  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw storageError(what, e);
    }
  }
}

function storageError(what: string, e: unknown): LocalrecError {
  const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new LocalrecError('storage_failed', `IndexedDB could not ${what} (${why}). Nothing was changed.`);
}
