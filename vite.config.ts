import { defineConfig } from 'vite';
import { resolve } from 'node:path';

/**
 * Three builds from one config:
 * - `--mode demo` (default): the demo storefront in demo/, served by `npm start`; demo/data is
 *   its public folder (catalog, bundle, population parameters);
 * - `--mode lib`: the npm entry (ESM, dist/lib/localrec.js);
 * - `--mode script`: the script-tag build (IIFE defining `window.localrec`, dist/lib/localrec.iife.js).
 * Both library builds emit the engine worker as dist/lib/localrec-worker.js with its wasm files,
 * referenced relatively so the folder can be hosted anywhere.
 */
export default defineConfig(({ mode }) => {
  const worker = { format: 'es' as const };
  if (mode === 'lib' || mode === 'script') {
    const script = mode === 'script';
    return {
      base: './',
      worker: { ...worker, rolldownOptions: { output: { entryFileNames: 'localrec-worker.js', assetFileNames: 'assets/[name]-[hash][extname]' } } },
      build: {
        outDir: 'dist/lib',
        emptyOutDir: !script,
        // Library mode leaves ES output's whitespace in; the facade's gzip budget counts, so minify fully.
        minify: true,
        rolldownOptions: { output: { minify: true } },
        target: 'es2022',
        lib: {
          entry: resolve(import.meta.dirname, script ? 'src/script-tag.ts' : 'src/index.ts'),
          name: 'localrec',
          formats: [script ? ('iife' as const) : ('es' as const)],
          fileName: () => (script ? 'localrec.iife.js' : 'localrec.js'),
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
