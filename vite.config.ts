import { defineConfig } from 'vite';
import { resolve } from 'node:path';

/**
 * Two builds from one config:
 * - `--mode demo` (default): the demo storefront in demo/, served by `npm start`; demo/data is
 *   its public folder (catalog, bundle, population parameters);
 * - `--mode lib`: the npm entry (ESM) and the script-tag build (IIFE, `window.localrec`), each with
 *   the engine worker and the tfjs wasm binaries emitted beside it.
 */
export default defineConfig(({ mode }) => {
  const worker = { format: 'es' as const };
  if (mode === 'lib') {
    return {
      worker,
      build: {
        outDir: 'dist/lib',
        emptyOutDir: true,
        lib: {
          entry: resolve(import.meta.dirname, 'src/index.ts'),
          name: 'localrec',
          formats: ['es', 'iife'],
          fileName: (format) => (format === 'es' ? 'localrec.js' : 'localrec.iife.js'),
        },
      },
    };
  }
  return {
    root: 'demo',
    publicDir: 'data',
    worker,
    server: { host: '127.0.0.1', port: Number(process.env.PORT ?? 5173), strictPort: true },
    preview: { host: '127.0.0.1', port: Number(process.env.PORT ?? 5173), strictPort: true },
    build: { outDir: '../dist/demo', emptyOutDir: true, target: 'es2022' },
  };
});
