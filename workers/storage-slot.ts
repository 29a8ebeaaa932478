import { checkProfile, rebuildProfile } from '../src/core/profile/repair';
import { emptyProfile, fitProfileToDim, type Profile } from '../src/core/profile/state';
import type { UpdateContext } from '../src/core/profile/update';
import type { Consent, StorageStatus } from '../src/protocol';
import type { EngineHost } from './engine';
import { MemoryStorage } from './memory-storage';
import type { EngineStorage } from './storage';
import type { TabCoordination } from './tabs';

/**
 * Which storage the engine writes to, and why: disk when consent is granted and disk works,
 * memory otherwise (consent pending or denied, IndexedDB missing, full, newer, or no WebCrypto),
 * with the reason the page can read in `ready()` and diagnostics.
 */
export class StorageSlot {
  storage: EngineStorage = new MemoryStorage();
  /** Why storage is in memory; undefined while on disk. */
  reason: string | undefined;
  /** Coordination with other tabs of the same database, while on disk. */
  tabs: TabCoordination | undefined;
  /** Set when another tab wrote: the next read reloads the stored profile. */
  otherTabWrote = false;
  /** Set when another tab deleted the shopper's data (`forget()`): what this tab holds must go too. */
  otherTabForgot = false;

  /** `onOtherTab` is told when another tab wrote or forgot (the page's profile listeners want to know). */
  constructor(
    private readonly host: Pick<EngineHost, 'openStorage' | 'deleteStorage' | 'tabs'>, private readonly name: () => string, private readonly onOtherTab?: () => void,
  ) {}

  /** Points at the storage consent allows: disk when granted (memory if disk fails), memory otherwise. */
  async useFor(consent: Consent): Promise<void> {
    const name = this.name();
    this.tabs?.close();
    this.tabs = undefined;
    if (consent === 'denied') {
      await this.host.deleteStorage?.(name).catch(() => undefined);
      this.toMemory('consent denied: nothing is stored');
      return;
    }
    if (consent === 'pending') {
      this.toMemory('consent pending: learning in memory only until it is granted');
      return;
    }
    try {
      this.storage = await this.host.openStorage(name);
      this.reason = undefined;
      this.tabs = this.host.tabs?.(name);
      this.tabs?.onOtherTab((what) => {
        this.otherTabWrote = true;
        if (what === 'forgot') this.otherTabForgot = true;
        this.onOtherTab?.();
      });
    } catch (e) {
      this.toMemory(`storage unavailable, learning in memory only: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * Opens the database again when another tab closed this tab's connection (deleting the
   * database in `forget()`, or upgrading it), so this tab goes on writing to disk, not memory.
   * Returns whether it re-opened.
   */
  async reopenIfClosed(consent: Consent): Promise<boolean> {
    if (this.storage.mode !== 'indexeddb' || this.storage.isOpen()) return false;
    await this.useFor(consent);
    return true;
  }

  toMemory(reason: string): void {
    if (this.storage.mode !== 'memory') this.storage.close();
    this.storage = new MemoryStorage();
    this.reason = reason;
  }

  status(): StorageStatus {
    return this.reason === undefined ? { mode: this.storage.mode } : { mode: this.storage.mode, reason: this.reason };
  }

  /**
   * The stored profile, checked; an unreadable one is rebuilt from the event log (and if that
   * cannot be read either, the shopper starts afresh rather than every call failing).
   */
  async readProfile(dim: number, fallback: Profile | undefined, ctx: UpdateContext): Promise<Profile> {
    let raw: unknown;
    try {
      raw = await this.storage.loadProfile();
    } catch {
      raw = null;
    }
    if (raw === undefined) return fallback ?? emptyProfile(dim, ctx.now);
    const checked = checkProfile(raw);
    if (checked) return fitProfileToDim(checked, dim);
    try {
      const log = await this.storage.readEvents();
      return rebuildProfile(log.map((e) => e.event), dim, ctx);
    } catch {
      return emptyProfile(dim, ctx.now);
    }
  }

  close(): void {
    this.tabs?.close();
    this.storage.close();
  }
}
