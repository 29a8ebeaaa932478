/**
 * Runs changes one at a time, in the order they were asked for, so profile updates apply in the
 * order `track()` was called. A failed change rejects its own caller and does not stop the next.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(change: () => Promise<T>): Promise<T> {
    const run = this.tail.then(change);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every change queued so far has finished, failed or not. */
  settled(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
