import type { RankContext } from './context';

/**
 * Typed arrays reused from one ranking to the next. In a browser worker a fresh typed array of
 * this size costs far more than filling it (measured in Chromium: twelve arrays of 10,000 floats,
 * 2.5 ms fresh against 0.1 ms reused), so a ranking at 100,000 items that allocated a dozen of
 * them per call spent most of its time there. The engine keeps one Scratch and passes it in the
 * {@link RankContext}; an array handed out stays valid until the next ranking that uses the same
 * Scratch (rank() and rerank() return plain data, so none outlives its call). Without a Scratch,
 * the stages allocate as before.
 */
export class Scratch {
  private readonly buffers = new Map<string, Float32Array | Int32Array | Uint8Array>();

  floats(name: string, n: number): Float32Array {
    return this.take(name, n, Float32Array);
  }

  ints(name: string, n: number): Int32Array {
    return this.take(name, n, Int32Array);
  }

  /** Bytes, zeroed (flags). */
  flags(name: string, n: number): Uint8Array {
    return this.take(name, n, Uint8Array).fill(0);
  }

  private take<T extends Float32Array | Int32Array | Uint8Array>(name: string, n: number, Type: { new (n: number): T }): T {
    let buffer = this.buffers.get(name) as T | undefined;
    if (!buffer || buffer.length < n || !(buffer instanceof Type)) {
      buffer = new Type(n);
      this.buffers.set(name, buffer);
    }
    return buffer.subarray(0, n) as T;
  }
}

/** `n` floats for the stage's `name`: from the context's Scratch (contents undefined), or new (zeros). */
export function floatsFor(ctx: Pick<RankContext, 'scratch'>, name: string, n: number): Float32Array {
  return ctx.scratch ? ctx.scratch.floats(name, n) : new Float32Array(n);
}

/** `n` ints for the stage's `name`, as {@link floatsFor}. */
export function intsFor(ctx: Pick<RankContext, 'scratch'>, name: string, n: number): Int32Array {
  return ctx.scratch ? ctx.scratch.ints(name, n) : new Int32Array(n);
}

/** `n` zeroed flags for the stage's `name`, as {@link floatsFor}. */
export function flagsFor(ctx: Pick<RankContext, 'scratch'>, name: string, n: number): Uint8Array {
  return ctx.scratch ? ctx.scratch.flags(name, n) : new Uint8Array(n);
}
