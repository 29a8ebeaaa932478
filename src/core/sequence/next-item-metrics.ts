/** Next-item metrics averaged over predictions, as session-rec reports them. */
export interface MetricSummary {
  readonly 'hr@20': number;
  readonly 'mrr@20': number;
  readonly 'hr@10': number;
  readonly 'mrr@10': number;
  readonly 'ndcg@20': number;
  readonly predictions: number;
}

/**
 * Accumulates HR@k, MRR@k and NDCG@20 from the 1-based rank of each target (0 or a rank past
 * the list = a miss). NDCG uses the standard gain 1/log2(rank+1); with one relevant item the
 * ideal DCG is 1.
 */
export class MetricAccumulator {
  private n = 0;
  private hr20 = 0;
  private mrr20 = 0;
  private hr10 = 0;
  private mrr10 = 0;
  private ndcg20 = 0;

  /** Records one prediction whose target came at `rank` (1-based; 0 = not in the list). */
  add(rank: number): void {
    this.n++;
    if (rank < 1 || rank > 20) return;
    this.hr20 += 1;
    this.mrr20 += 1 / rank;
    this.ndcg20 += 1 / Math.log2(rank + 1);
    if (rank <= 10) {
      this.hr10 += 1;
      this.mrr10 += 1 / rank;
    }
  }

  /** Averages so far (zeros when nothing was added). */
  summary(): MetricSummary {
    const d = this.n || 1;
    return {
      'hr@20': this.hr20 / d,
      'mrr@20': this.mrr20 / d,
      'hr@10': this.hr10 / d,
      'mrr@10': this.mrr10 / d,
      'ndcg@20': this.ndcg20 / d,
      predictions: this.n,
    };
  }
}
