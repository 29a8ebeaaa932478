/**
 * A Vite (and Vitest) plugin that assembles WebAssembly text (`import bytes from './x.wat'`) at
 * build time with wabt, so the repository keeps the readable .wat and no binary. The module's
 * default export is the wasm bytes (a Uint8Array), inlined as base64: the kernels are a few
 * hundred bytes, and bytes compiled in the worker need no extra file for a CSP's connect-src
 * (only 'wasm-unsafe-eval', as tfjs-backend-wasm does).
 */
import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';

/** @returns {import('vite').Plugin} */
export function watModules() {
  /** @type {ReturnType<typeof wabtInit> | undefined} */
  let wabt;
  return {
    name: 'localrec-wat',
    enforce: 'pre',
    /** @param {string} id */
    async load(id) {
      if (!id.endsWith('.wat')) return null;
      wabt ??= wabtInit();
      const module = (await wabt).parseWat(id, readFileSync(id, 'utf8'), { simd: true });
      try {
        module.validate();
        const { buffer } = module.toBinary({});
        const base64 = Buffer.from(buffer).toString('base64');
        return `export default Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));\n`;
      } finally {
        module.destroy();
      }
    },
  };
}
