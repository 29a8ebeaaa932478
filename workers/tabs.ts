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
  /** Tells the other tabs that the stored profile changed ('wrote') or that the shopper's data was deleted ('forgot'). */
  announce(what?: TabNews): void;
  /** Called when another tab announced something. */
  onOtherTab(listener: (what: TabNews) => void): void;
  close(): void;
}

/** What one tab tells the others: it wrote the stored profile, or it deleted everything (`forget()`). */
export type TabNews = 'wrote' | 'forgot';

/** Web Locks and a BroadcastChannel; undefined where the browser lacks either (then one tab is assumed). */
export function browserTabs(dbName: string): TabCoordination | undefined {
  if (typeof navigator === 'undefined' || !navigator.locks || typeof BroadcastChannel === 'undefined') return undefined;
  const name = `localrec:${dbName}`;
  const channel = new BroadcastChannel(name);
  return {
    withLock: <T>(write: () => Promise<T>) => navigator.locks.request(name, write) as Promise<T>,
    announce: (what = 'wrote') => channel.postMessage(what),
    onOtherTab: (listener) => channel.addEventListener('message', (e: MessageEvent) => listener(e.data === 'forgot' ? 'forgot' : 'wrote')),
    close: () => channel.close(),
  };
}
