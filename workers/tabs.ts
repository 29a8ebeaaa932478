/// <reference lib="webworker" />
/**
 * Several tabs of one store share one database. Each tab's engine writes under a Web Lock named
 * for the database and re-reads the stored profile inside it, so a write never overwrites what
 * another tab wrote in between (two tabs × 100 events → 200 counted, both carts' lines kept).
 * The alternative designs (a leader tab, a SharedWorker) would make one tab's engine serve the
 * others, but SharedWorker is missing on Chrome for Android, and a leader hand-over when the
 * leader tab closes is where events get lost; a lock per write has neither problem.
 */
export interface TabCoordination {
  /** Runs `write` while no other tab of this database writes. */
  withLock<T>(write: () => Promise<T>): Promise<T>;
  /** Tells the other tabs that the stored profile changed. */
  announce(): void;
  /** Called when another tab changed the stored profile. */
  onOtherTabWrote(listener: () => void): void;
  close(): void;
}

/** Web Locks and a BroadcastChannel; undefined where the browser lacks either (then one tab is assumed). */
export function browserTabs(dbName: string): TabCoordination | undefined {
  if (typeof navigator === 'undefined' || !navigator.locks || typeof BroadcastChannel === 'undefined') return undefined;
  const name = `localrec:${dbName}`;
  const channel = new BroadcastChannel(name);
  return {
    withLock: <T>(write: () => Promise<T>) => navigator.locks.request(name, write) as Promise<T>,
    announce: () => channel.postMessage('wrote'),
    onOtherTabWrote: (listener) => channel.addEventListener('message', () => listener()),
    close: () => channel.close(),
  };
}
