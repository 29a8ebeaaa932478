import type { Catalog } from '../src/core/catalog';
import type { Profile } from '../src/core/profile/state';
import type { CatalogTag, EngineStorage, NewEvent, StoredCatalog, StoredEvent } from './storage';

/**
 * Storage in the worker's memory: what the engine learns lasts until the page closes. Used while
 * consent is pending and when IndexedDB is missing, full or refuses to open.
 */
export class MemoryStorage implements EngineStorage {
  readonly mode = 'memory';
  private profile: Profile | undefined;
  private events: StoredEvent[] = [];
  private next = 1;
  private readonly catalogs = new Map<string, StoredCatalog>();
  /** When the server last confirmed each source's cached catalog (CatalogTag.checkedAt). */
  private readonly checked = new Map<string, number>();
  private readonly settings = new Map<string, string>();

  async loadProfile(): Promise<unknown> {
    return this.profile && structuredClone(this.profile);
  }

  async appendEvents(events: readonly NewEvent[], profile: Profile): Promise<number[]> {
    const ids = events.map((e) => {
      const stored: StoredEvent = { id: this.next++, event: structuredClone(e.event) };
      if (e.eventId !== undefined) stored.eventId = e.eventId;
      this.events.push(stored);
      return stored.id;
    });
    this.profile = structuredClone(profile);
    return ids;
  }

  async recentEventIds(limit: number): Promise<Map<string, number>> {
    return new Map(this.events.slice(-limit).filter((e) => e.eventId !== undefined).map((e) => [e.eventId!, e.id]));
  }

  async saveProfile(profile: Profile): Promise<void> {
    this.profile = structuredClone(profile);
  }

  async countEvents(): Promise<number> {
    return this.events.length;
  }

  async readEvents(): Promise<StoredEvent[]> {
    return structuredClone(this.events);
  }

  async prune(before: number, keep: number): Promise<number> {
    const n = this.events.length;
    const recent = this.events.filter((e) => e.event.time >= before);
    this.events = keep > 0 ? recent.slice(-keep) : [];
    return n - this.events.length;
  }

  async cachedCatalog(source: string): Promise<StoredCatalog | undefined> {
    return this.catalogs.get(source);
  }

  async cachedCatalogTag(source: string): Promise<CatalogTag | undefined> {
    const c = this.catalogs.get(source);
    const checkedAt = this.checked.get(source);
    return c && { version: c.version, ...(c.etag === undefined ? {} : { etag: c.etag }), ...(checkedAt === undefined ? {} : { checkedAt }) };
  }

  async catalogChecked(source: string, at: number): Promise<void> {
    if (this.catalogs.has(source)) this.checked.set(source, at);
  }

  async cacheCatalog(source: string, catalog: Catalog, etag?: string, checkedAt?: number): Promise<void> {
    const cached = this.catalogs.get(source);
    if (checkedAt === undefined) this.checked.delete(source);
    else this.checked.set(source, checkedAt);
    if (cached?.version === catalog.version) {
      if (etag === undefined) delete cached.etag;
      else cached.etag = etag;
      return;
    }
    this.catalogs.set(source, { version: catalog.version, source, storedAt: Date.now(), catalog, ...(etag === undefined ? {} : { etag }) });
  }

  async readSetting(key: string): Promise<string | undefined> {
    return this.settings.get(key);
  }

  async writeSetting(key: string, value: string): Promise<void> {
    this.settings.set(key, value);
  }

  async destroy(): Promise<void> {
    this.profile = undefined;
    this.events = [];
    this.catalogs.clear();
    this.checked.clear();
    this.settings.clear();
  }

  isOpen(): boolean {
    return true;
  }

  close(): void {}
}
