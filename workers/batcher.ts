/**
 * Gathers items for a short while and hands them over as one batch: one IndexedDB transaction
 * for many `track()` calls instead of one each. A batch goes when `maxSize` items wait, after
 * `delayMs` of quiet, or at once on `flush()` (the page is being hidden). Each item's promise
 * settles with its own result from the batch.
 */
export class Batcher<T, R> {
  private waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly delayMs: number,
    private readonly maxSize: number,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.maxSize) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
    });
  }

  /** Sends what waits now; resolves when that batch has settled. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0);
    if (batch.length === 0) return;
    try {
      const results = await this.run(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (e) {
      for (const b of batch) b.reject(e);
    }
  }
}
