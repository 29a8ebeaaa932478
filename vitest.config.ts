import { defineConfig } from 'vitest/config';
import { watModules } from './scripts/vite-wat.mjs';

export default defineConfig({
  // The worker's WebAssembly kernels are .wat files, assembled on import (scripts/vite-wat.mjs).
  plugins: [watModules()],
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'tools/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
