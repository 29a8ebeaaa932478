/**
 * TensorFlow.js backends for the worker, and the start-up measurement that picks one.
 *
 * The worker ranks with its own int8 kernel by default (scoring.ts); these are the float32 path,
 * used when the page forces a backend, or when a real GPU measured faster in the background.
 *
 * Availability is not speed: on a machine without a GPU, WebGL runs on SwiftShader (software),
 * reports no performance caveat, and is 15-30x slower than wasm for this workload. So each
 * available backend scores a matrix the size of the catalog a few times, and the fastest wins.
 * The plain JS cpu backend is always there, so ranking works even where a strict CSP forbids wasm.
 */
import { env, getBackend, ready, setBackend, tensor2d, matMul, type Tensor } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Vite emits the .wasm files only when they are imported as URLs (see PLATFORM-NOTES.md).
// `no-inline`: Vite's library mode otherwise inlines every asset as a base64 data: URL (all three
// builds in the worker: 3.6 times its size in gzip), which a page CSP without `data:` in
// connect-src blocks, turning wasm off. As files they resolve against the worker script's own
// URL (import.meta.url), and only the build the browser can run is downloaded.
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url&no-inline';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url&no-inline';
import { LocalrecError } from '../src/core/errors';
import type { BackendReport } from '../src/protocol';
import type { RememberedBackend } from './engine';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  // setWasmPaths wants all three names; the threaded build is never requested (below), so it is not shipped.
  'tfjs-backend-wasm-threaded-simd.wasm': wasmSimd,
});
// Never the threaded build. A cross-origin isolated page (COOP/COEP) would get it, and its
// threads start from the factory's source text (Function.toString), which minification leaves
// naming variables of the bundle: every thread dies with `ReferenceError` and the worker with it
// (e2e/isolation.spec.ts). Threads gave nothing on 2 cores (PLATFORM-NOTES.md), and tfjs-wasm is
// only the forced fallback here; our own kernel (int8-scorer.ts) ranks by default.
env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

type Name = BackendReport['name'];
const ORDER: Name[] = ['wasm', 'webgl', 'cpu'];

async function trySet(name: Name): Promise<boolean> {
  try {
    // setBackend resolves false (it does not throw) when a backend cannot start.
    return (await setBackend(name)) && getBackend() === name;
  } catch {
    return false;
  }
}

/** Median ms of scoring the catalog's `rows × dim` matrix against one vector, after a warm-up pass. */
async function timeScoring(matrix: Float32Array, rows: number, dim: number): Promise<number> {
  const m = tensor2d(matrix, [rows, dim]);
  const q = tensor2d(new Float32Array(dim).fill(0.1), [dim, 1]);
  const run = async () => {
    const t0 = performance.now();
    const s: Tensor = matMul(m, q);
    await s.data();
    s.dispose();
    return performance.now() - t0;
  };
  try {
    await run(); // compiles shaders / kernels
    const times = [await run(), await run(), await run()].sort((a, b) => a - b);
    return times[1]!;
  } finally {
    m.dispose();
    q.dispose();
  }
}

function rendererName(): string | undefined {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    return gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The GPU check behind the background switch (engine.ts `checkGpuWhenIdle`): tfjs's webgl backend
 * timed on the catalog's matrix, only where WebGL runs on a real GPU. A software renderer
 * (SwiftShader, llvmpipe) is 15-30x slower than the CPU here, so it is not started at all.
 */
export async function measureGpu(matrix: Float32Array, rows: number, dim: number): Promise<{ ms: number; renderer: string } | { skipped: string }> {
  const renderer = rendererName();
  if (!renderer) return { skipped: 'no WebGL' };
  if (/swiftshader|llvmpipe|softpipe|software/i.test(renderer)) return { skipped: `no GPU (${renderer})` };
  if (!(await trySet('webgl'))) return { skipped: 'webgl unavailable' };
  await ready();
  return { ms: await timeScoring(matrix, rows, dim), renderer };
}

/**
 * Measures each backend on the catalog's matrix and leaves the fastest one active; or, given
 * this device's earlier choice for a catalog of this size, starts that one without measuring
 * (measuring initialises WebGL and scores the matrix 4 times per backend: seconds at 100,000
 * items). A remembered backend that no longer starts is measured afresh.
 */
export async function chooseBackend(matrix: Float32Array, rows: number, dim: number, forced?: Name, remembered?: RememberedBackend): Promise<BackendReport> {
  if (!forced && remembered && ORDER.includes(remembered.name) && (await trySet(remembered.name))) {
    await ready();
    return { name: remembered.name, measured: [], rememberedFrom: remembered.at };
  }
  const measured: BackendReport['measured'] = [];
  for (const name of forced ? [forced] : ORDER) {
    if (!(await trySet(name))) {
      measured.push({ name, ms: null, error: 'unavailable' });
      continue;
    }
    try {
      await ready();
      measured.push({ name, ms: Math.round((await timeScoring(matrix, rows, dim)) * 1000) / 1000 });
    } catch (e) {
      measured.push({ name, ms: null, error: e instanceof Error ? e.message : String(e) });
    }
  }
  const best = measured.filter((m) => m.ms !== null).sort((a, b) => a.ms! - b.ms!)[0];
  const name = (best?.name ?? 'cpu') as Name;
  if (!(await trySet(name)) && !(await trySet('cpu'))) {
    throw new LocalrecError('backend_failed', `No TensorFlow.js backend could start (${measured.map((m) => `${m.name}: ${m.error ?? 'ok'}`).join(', ')}).`);
  }
  const report: BackendReport = { name: getBackend() as Name, measured };
  const renderer = measured.some((m) => m.name === 'webgl' && m.ms !== null) ? rendererName() : undefined;
  if (renderer) report.renderer = renderer;
  return report;
}
