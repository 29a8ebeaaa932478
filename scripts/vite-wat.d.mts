import type { Plugin } from 'vite';

/** Assembles imported .wat files with wabt; the module's default export is the wasm bytes (scripts/vite-wat.mjs). */
export function watModules(): Plugin;
