/**
 * Nelder–Mead simplex minimiser with restarts. Derivative-free, so the lifecycle fits only
 * need their log-likelihoods; restarting from the best point with a fresh simplex guards
 * against the simplex collapsing early, which single runs do on these flat likelihoods.
 */

/** Options for {@link minimize}. */
export interface MinimizeOptions {
  /** Size of the initial simplex edge along each axis. Default 0.5 (in the search space). */
  initialStep?: number;
  /** Iterations per run. Default 5000. */
  maxIterations?: number;
  /** Stop a run when the spread of function values in the simplex falls below this. Default 1e-12. */
  tolerance?: number;
  /** Maximum number of runs (restarts from the best point so far). Default 8. */
  maxRestarts?: number;
}

/** The result of {@link minimize}. */
export interface MinimizeResult {
  x: number[];
  value: number;
  iterations: number;
  /** True when the last restart did not improve the value materially. */
  converged: boolean;
}

/** One Nelder–Mead run (standard coefficients: reflect 1, expand 2, contract 0.5, shrink 0.5). */
function runOnce(f: (x: number[]) => number, x0: number[], step: number, maxIter: number, tol: number) {
  const n = x0.length;
  const safe = (x: number[]) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity; // NaN/overflow regions are treated as walls
  };
  let simplex: { x: number[]; v: number }[] = [{ x: x0.slice(), v: safe(x0) }];
  for (let i = 0; i < n; i++) {
    const x = x0.slice();
    x[i]! += step;
    simplex.push({ x, v: safe(x) });
  }
  let iter = 0;
  for (; iter < maxIter; iter++) {
    simplex.sort((p, q) => p.v - q.v);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (Math.abs(worst.v - best.v) <= tol * (1 + Math.abs(best.v))) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]!.x[j]! / n;
    const along = (t: number) => centroid.map((c, j) => c + t * (worst.x[j]! - c));
    const xr = along(-1);
    const vr = safe(xr);
    if (vr < best.v) {
      const xe = along(-2);
      const ve = safe(xe);
      simplex[n] = ve < vr ? { x: xe, v: ve } : { x: xr, v: vr };
    } else if (vr < simplex[n - 1]!.v) {
      simplex[n] = { x: xr, v: vr };
    } else {
      const xc = vr < worst.v ? along(-0.5) : along(0.5);
      const vc = safe(xc);
      if (vc < Math.min(vr, worst.v)) {
        simplex[n] = { x: xc, v: vc };
      } else {
        simplex = simplex.map((p, i) => {
          if (i === 0) return p;
          const x = p.x.map((v, j) => best.x[j]! + 0.5 * (v - best.x[j]!));
          return { x, v: safe(x) };
        });
      }
    }
  }
  simplex.sort((p, q) => p.v - q.v);
  return { x: simplex[0]!.x, v: simplex[0]!.v, iter };
}

/**
 * Minimise `f` from `x0`. Restarts until a run improves the value by less than `tolerance`
 * (relative) or `maxRestarts` runs are done.
 *
 * @example minimize(([x, y]) => (x! - 1) ** 2 + (y! + 2) ** 2, [0, 0]).x // ≈ [1, -2]
 */
export function minimize(f: (x: number[]) => number, x0: number[], options: MinimizeOptions = {}): MinimizeResult {
  const step = options.initialStep ?? 0.5;
  const maxIter = options.maxIterations ?? 5000;
  const tol = options.tolerance ?? 1e-12;
  const maxRestarts = options.maxRestarts ?? 8;
  let best = runOnce(f, x0, step, maxIter, tol);
  let iterations = best.iter;
  let converged = false;
  for (let k = 1; k < maxRestarts; k++) {
    const next = runOnce(f, best.x, step / 4, maxIter, tol);
    iterations += next.iter;
    const gain = best.v - next.v;
    if (next.v < best.v) best = next;
    if (!(gain > 1e-10 * (1 + Math.abs(best.v)))) {
      converged = true;
      break;
    }
  }
  return { x: best.x, value: best.v, iterations, converged };
}
