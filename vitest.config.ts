import { defineConfig } from 'vitest/config';
import { watModules } from './scripts/vite-wat';

export default defineConfig({
  // The worker's WebAssembly kernels are .wat files, assembled on import (scripts/vite-wat.ts).
  plugins: [watModules()],
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'tools/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
