/// <reference lib="webworker" />
/**
 * The benchmark's own worker (built by bench/run.ts into dist/bench, driven from Node with
 * Playwright's `worker.evaluate`). In one thread it runs the SDK's real Engine (memory storage,
 * the measured tfjs backend, a fixed clock) and, on the same catalog matrix and query, the raw
 * peers a ranking could be built from: a plain JS loop with partial selection, tfjs-cpu,
 * tfjs-wasm and tfjs-webgl (matMul + topk), our int8 kernel (workers/int8-scorer.ts) with its
 * shortlist re-scored exactly, and the memory floor (reading the N × dim float32 matrix once). Each peer's top-k is checked against the JS loop's; the Engine's recommend() is
 * checked against the straightforward ranking (src/core/ranking/testing/reference-rank.ts).
 */
import { getBackend, matMul, memory, reshape, setBackend, tensor2d, topk, type Tensor } from '@tensorflow/tfjs-core';
import type { Catalog } from '../../src/core/catalog';
import type { Profile } from '../../src/core/profile/state';
import { candidateIndices } from '../../src/core/ranking/candidates';
import { queryVector, similarities } from '../../src/core/ranking/query';
import { Scratch } from '../../src/core/ranking/scratch';
import { rankShortlisted, shortlist } from '../../src/core/ranking/shortlist';
import { validateRequest } from '../../src/core/ranking/request';
import { referenceRank } from '../../src/core/ranking/testing/reference-rank';
import { topK } from '../../src/core/ranking/top-k';
import { chooseBackend } from '../../workers/backends';
import { catalogFromBytes } from '../../workers/catalog-loader';
import { Engine } from '../../workers/engine';
import { Int8Scorer } from '../../workers/int8-scorer';
import { MemoryStorage } from '../../workers/memory-storage';
import { TfScorer } from '../../workers/scorer';

interface Setup { catalog: string; events: { type: string; itemId: string }[]; now: number; k: number }
interface Timing { p50: number; p95: number; min: number; calls: number }
/** One peer's figures: its time per query, and whether its top-k is the JS loop's. */
interface PeerResult { name: string; ms?: Timing; sameTopK?: boolean; error?: string }

let engine: Engine | undefined;
let setup: Setup | undefined;
let catalog: Catalog | undefined;

function timing(xs: number[]): Timing {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]! * 1000) / 1000;
  return { p50: at(0.5), p95: at(0.95), min: at(0), calls: s.length };
}

async function timed(calls: number, run: () => unknown | Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < 5; i++) await run();
  const ms: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  return timing(ms);
}

/** Starts the Engine on the catalog and teaches it the session; returns ReadyInfo and how long each part took. */
async function load(given: Setup) {
  setup = given;
  engine = new Engine({ chooseBackend, fetch: (url) => fetch(url), openStorage: async () => new MemoryStorage(), now: () => given.now });
  const t0 = performance.now();
  const ready = await engine.init({ catalog: given.catalog });
  const readyMs = performance.now() - t0;
  const n = given.events.length;
  await engine.trackMany(given.events.map((e, i) => ({ event: { ...e, time: given.now - (n - i) * 20_000 } })));
  await engine.flush();
  catalog = catalogFromBytes(new Uint8Array(await (await fetch(given.catalog)).arrayBuffer()), given.catalog);
  return { ready, readyMs };
}

/** The shopper's profile as the Engine holds it (exportData gives typed arrays back as lists). */
async function profileOf(e: Engine): Promise<Profile> {
  const p = (await e.exportData()).profile as unknown as Profile & { longTerm: { vector: number[] }; session: { vector: { vector: number[] } } };
  return { ...p, longTerm: { ...p.longTerm, vector: Float32Array.from(p.longTerm.vector) }, session: { ...p.session, vector: { ...p.session.vector, vector: Float32Array.from(p.session.vector.vector) } } };
}

/** recommend() on the Engine: its own `tookMs`, the call as this thread sees it, and the check against the reference ranking. */
async function recommend(calls: number) {
  const e = engine!;
  const request = { k: setup!.k };
  const took: number[] = [];
  const wall = await timed(calls, async () => took.push((await e.recommend(request)).tookMs));
  const got = await e.recommend(request);
  // The reference on the same catalog, profile, clock and similarity: the float32 cosines the
  // Engine's shortlist re-scores with (the JS loop) behind our kernel, else its tfjs backend's matMul.
  const profile = await profileOf(e);
  const req = validateRequest(request);
  const candidates = candidateIndices(catalog!, req);
  const q = queryVector(profile, catalog!, setup!.now);
  let similarity: Float32Array = new Float32Array(candidates.length);
  if (q && got.backend.startsWith('int8')) similarity = similarities(catalog!, candidates, q);
  else if (q) {
    const scorer = new TfScorer(catalog!.dim);
    scorer.load(catalog!.matrix, catalog!.items.length);
    similarity = await scorer.score(q);
    scorer.dispose();
  }
  const want = referenceRank({ catalog: catalog!, profile, request: req, now: setup!.now, sequence: undefined }, candidates, similarity);
  const same = JSON.stringify(got.items) === JSON.stringify(want);
  return { tookMs: timing(took.slice(5)), callMs: wall, backend: got.backend, sameAsReference: same, ...(same ? {} : { got: got.items.map((i) => i.id), want: want.map((i) => i.id) }) };
}

/**
 * The raw peers on the catalog's matrix and the Engine's query, each top-k compared with the JS
 * loop's. The Engine's recommend(), the JS loop, tfjs on the Engine's own backend and the floor
 * run in interleaved rounds (one call of each per round), so a busy machine slows them alike and
 * their ratios hold; the other tfjs backends follow, each in a block of its own (a tensor lives
 * on one backend).
 */
async function peers(calls: number) {
  const { matrix, dim, items } = catalog!;
  const rows = items.length;
  const k = setup!.k;
  const q = queryVector(await profileOf(engine!), catalog!, setup!.now) ?? new Float32Array(dim).fill(1 / Math.sqrt(dim));
  const scores = new Float32Array(rows);
  const jsLoop = () => {
    for (let r = 0, base = 0; r < rows; r++, base += dim) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += matrix[base + j]! * q[j]!;
      scores[r] = s;
    }
    return topK(scores, k).map((s) => s.index);
  };
  let sink = 0;
  const floor = () => {
    let s = 0;
    for (let i = 0; i < matrix.length; i++) s += matrix[i]!;
    sink += s;
  };
  const expected = jsLoop();
  // Same top-k: the same items in the same order, allowing float differences to swap near-ties (within 1e-5).
  const sameAs = (got: number[]) => got.length === expected.length && got.every((g, i) => g === expected[i] || Math.abs(scores[g]! - scores[expected[i]!]!) <= 1e-5);
  const tfjsPeer = () => {
    const m = tensor2d(matrix, [rows, dim]);
    const qt = tensor2d(q, [dim, 1]);
    return {
      run: async () => {
        const s = matMul(m, qt);
        const flat = reshape(s, [rows]);
        const { indices, values } = topk(flat, k);
        const idx = Array.from(await indices.data());
        ([s, flat, indices, values] as Tensor[]).forEach((t) => t.dispose());
        return idx;
      },
      dispose: () => { m.dispose(); qt.dispose(); },
    };
  };
  // Our kernel as a raw peer: int8 scores of every row, the rows whose bound reaches the k-th
  // best lower bound re-scored exactly in float32, their top k (shortlist.ts, without the blend).
  const int8 = new Int8Scorer(matrix, rows, dim);
  const bound = new Float32Array(rows);
  const kept = new Int32Array(rows);
  const int8Peer = () => {
    const { values, rowScale, queryError } = int8.score(q);
    // 1e-6: the float32 rounding of an exact cosine.
    for (let r = 0; r < rows; r++) bound[r] = rowScale[r]! * queryError + 1e-6;
    const list = shortlist(values, bound, k, undefined, kept);
    const exact = similarities(catalog!, list, q);
    return topK(exact, k).map((s) => list[s.index]!);
  };
  // tfjs-wasm is loaded only for this peer now (the Engine ranks with our kernel).
  const engineBackend = (await setBackend('wasm')) && getBackend() === 'wasm' ? 'wasm' : getBackend();
  const own = tfjsPeer();
  const request = { k };
  const contenders: [string, () => unknown][] = [
    ['engine-recommend', () => engine!.recommend(request)], ['js-loop', jsLoop], [`tfjs-${engineBackend}`, own.run], [int8.kind, int8Peer], ['floor-read-f32', floor],
  ];
  const times = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
  // A worker's clock ticks in 0.1 ms: small catalogs time several calls per sample.
  const reps = Math.max(1, Math.round(50_000 / rows));
  for (let round = -5; round < calls; round++) {
    for (const [name, run] of contenders) {
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) await run();
      if (round >= 0) times.get(name)!.push((performance.now() - t0) / reps);
    }
  }
  const ownTopK = await own.run();
  own.dispose();
  const out: PeerResult[] = [
    { name: 'js-loop', ms: timing(times.get('js-loop')!), sameTopK: true },
    { name: `tfjs-${engineBackend}`, ms: timing(times.get(`tfjs-${engineBackend}`)!), sameTopK: sameAs(ownTopK) },
    { name: int8.kind, ms: timing(times.get(int8.kind)!), sameTopK: sameAs(int8Peer()) },
  ];
  for (const name of ['cpu', 'wasm', 'webgl'].filter((b) => b !== engineBackend)) {
    try {
      if (!(await setBackend(name)) || getBackend() !== name) throw new Error('unavailable');
      const peer = tfjsPeer();
      const got = await peer.run();
      out.push({ name: `tfjs-${name}`, ms: await timed(name === 'webgl' ? Math.min(calls, 20) : calls, peer.run), sameTopK: sameAs(got) });
      peer.dispose();
    } catch (e) {
      out.push({ name: `tfjs-${name}`, error: e instanceof Error ? e.message : String(e) });
    }
  }
  await setBackend(engineBackend);
  const engineMs = timing(times.get('engine-recommend')!);
  const floorMs = timing(times.get('floor-read-f32')!);
  // The best float32 peer: the target is to beat reading the float32 matrix (our int8 peer is shown beside it).
  const best = out.filter((p) => p.ms && !p.name.startsWith('int8')).sort((a, b) => a.ms!.p50 - b.ms!.p50)[0]!;
  const int8Ms = times.get(int8.kind)!;
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  return {
    interleaved: { engineRecommendMs: engineMs, floorMs, callsPerSample: reps },
    peers: out,
    ratios: {
      bestPeer: best.name,
      bestPeerOverEngine: ratio(best.ms!.p50, engineMs.p50),
      engineOverFloor: ratio(engineMs.p50, floorMs.p50),
      int8PeerOverEngine: ratio(timing(int8Ms).p50, engineMs.p50),
    },
    floorChecksum: Math.round(sink),
  };
}

/**
 * Where recommend()'s time goes: its steps (engine.ts `ranked`, scoring.ts) timed one by one on
 * the same catalog, profile and clock: candidates, query vector, our int8 kernel's scoring, and
 * the ranking pass (the shortlist's single pass, the exact re-score of the shortlist, and rank()
 * on it: filters, blend, novelty, rules, top-k, reasons); with how many rows were re-scored.
 */
async function stages(calls: number) {
  const profile = await profileOf(engine!);
  const request = validateRequest({ k: setup!.k });
  const int8 = new Int8Scorer(catalog!.matrix, catalog!.items.length, catalog!.dim);
  const scratch = new Scratch();
  const steps: Record<string, number[]> = { candidates: [], query: [], score: [], rank: [], rescoredRows: [] };
  for (let i = -5; i < calls; i++) {
    const t0 = performance.now();
    const candidates = candidateIndices(catalog!, request);
    const t1 = performance.now();
    const q = queryVector(profile, catalog!, setup!.now)!;
    const t2 = performance.now();
    const approx = int8.score(q);
    const t3 = performance.now();
    let rescored = 0;
    const exact = (items: Int32Array) => {
      rescored += items.length;
      return similarities(catalog!, items, q);
    };
    rankShortlisted({ catalog: catalog!, profile, request, now: setup!.now, sequence: undefined, scratch }, candidates, () => approx, exact);
    const t4 = performance.now();
    if (i < 0) continue;
    steps.candidates!.push(t1 - t0);
    steps.query!.push(t2 - t1);
    steps.score!.push(t3 - t2);
    steps.rank!.push(t4 - t3);
    steps.rescoredRows!.push(rescored);
  }
  return Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, timing(v)]));
}

/** Many recommend() calls in a row (the soak), then the tensor count: it must not grow. */
async function soak(calls: number) {
  const before = memory().numTensors;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await engine!.recommend({ k: setup!.k });
  return { calls, ms: Math.round(performance.now() - t0), tensorsBefore: before, tensorsAfter: memory().numTensors };
}

async function close() {
  await engine?.close();
  engine = undefined;
  catalog = undefined;
}

(self as unknown as { bench: unknown }).bench = { load, recommend, peers, stages, soak, close };
