import { defineConfig, type Plugin } from 'vite';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The builds of this repository, one per mode:
 * - `--mode demo` (default): the demo storefront in demo/, served by `npm start`; demo/data is
 *   its public folder (catalog, bundle, population parameters);
 * - `--mode lib`: the npm entry (ESM, dist/lib/localrec.js);
 * - `--mode script`: the script-tag build (IIFE defining `window.localrec`, dist/lib/localrec.iife.js),
 *   plus dist/types/global.d.ts, the type of that global;
 * - `--mode commands`: `localrec('track', …)` for the script tag and the snippet
 *   (dist/lib/localrec-commands.js, src/snippet/commands.ts), which the script-tag build imports
 *   beside itself; a file of its own so it stays within its 4 KB budget;
 * - `--mode adapters`: the pure event readers (ESM, dist/lib/adapters.js, `localrec/adapters`),
 *   which run in a page or in Node;
 * - `--mode cli`: the Node tools compiled to plain JS (dist/cli/localrec.js, what `npx localrec`
 *   runs through bin/localrec.mjs), so the installed package needs neither tsx nor TypeScript.
 * The lib build emits the engine worker as dist/lib/localrec-worker.js and its wasm files as
 * dist/lib/assets/*.wasm, referenced relative to the worker's own URL, so the folder can be hosted
 * on any path or CDN (the script-tag build finds the worker beside its own script).
 */
export default defineConfig(({ mode }) => {
  const worker = { format: 'es' as const };
  if (mode === 'lib' || mode === 'script') {
    const script = mode === 'script';
    return {
      base: './',
      plugins: script ? [scriptGlobalTypes()] : [bundlerVisibleWorker()],
      worker: { ...worker, rolldownOptions: { output: { entryFileNames: 'localrec-worker.js', assetFileNames: 'assets/[name]-[hash][extname]' } } },
      build: {
        outDir: 'dist/lib',
        emptyOutDir: !script,
        // Library mode leaves ES output's whitespace in; the facade's gzip budget counts, so minify fully.
        minify: true,
        // The live wiring of `sources` (src/client/sources.ts) is a chunk of its own with a fixed
        // name, which the script-tag build imports by URL when a page passes `sources`.
        rolldownOptions: { output: { minify: true, chunkFileNames: 'localrec-[name].js' } },
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
  if (mode === 'commands') {
    return {
      build: {
        outDir: 'dist/lib',
        emptyOutDir: false,
        minify: true,
        target: 'es2022',
        lib: { entry: resolve(import.meta.dirname, 'src/snippet/commands.ts'), formats: ['es' as const], fileName: () => 'localrec-commands.js' },
      },
    };
  }
  if (mode === 'adapters') {
    return {
      build: {
        outDir: 'dist/lib',
        emptyOutDir: false,
        // Not minified: integrators read it, and their own bundler minifies.
        minify: false,
        target: 'es2022',
        lib: { entry: resolve(import.meta.dirname, 'src/adapters/index.ts'), formats: ['es' as const], fileName: () => 'adapters.js' },
      },
    };
  }
  if (mode === 'cli') {
    return {
      // Everything is bundled (tfjs-core included), so the package has no run-time dependency.
      ssr: { noExternal: true, target: 'node' as const },
      build: {
        ssr: true,
        outDir: 'dist/cli',
        emptyOutDir: true,
        target: 'node20',
        minify: false,
        rolldownOptions: {
          input: { localrec: resolve(import.meta.dirname, 'tools/localrec.ts') },
          output: { format: 'es' as const, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
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

/**
 * Vite writes the lib facade's worker as `new Worker(new URL(/* @vite-ignore *\/ new URL("localrec-worker.js",
 * import.meta.url).href, "" + import.meta.url))`, which an app's bundler cannot see as a worker:
 * it copies the script as a plain asset, and the wasm files the worker loads are left behind. This
 * writes the standard `new Worker(new URL("./localrec-worker.js", import.meta.url))` instead, the
 * form app bundlers recognise and bundle as a worker, wasm included (Vite's is tested by
 * e2e/fixture-app.spec.ts), and which works unbundled too. The build fails if Vite's output no
 * longer has the expected shape.
 */
function bundlerVisibleWorker(): Plugin {
  const viteWorkerUrl = /new URL\(\s*\/\* @vite-ignore \*\/\s*new URL\((["'`])([\w.-]+\.js)\1,\s*import\.meta\.url\)\.href,\s*(["'`])\3\s*\+\s*import\.meta\.url\s*\)/g;
  return {
    name: 'localrec-bundler-visible-worker',
    apply: 'build',
    enforce: 'post',
    renderChunk(code, chunk) {
      if (!chunk.isEntry) return null;
      const found = code.match(viteWorkerUrl)?.length ?? 0;
      if (found !== 1) this.error(`expected one worker URL of Vite's shape in ${chunk.fileName}, found ${found}; see bundlerVisibleWorker in vite.config.ts`);
      return { code: code.replace(viteWorkerUrl, (_, _q, file: string) => `new URL(${JSON.stringify(`./${file}`)}, import.meta.url)`), map: null };
    },
  };
}

/**
 * Writes dist/types/global.d.ts beside the declarations tsc emits (`localrec/global`): the
 * `window.localrec` the script-tag build defines, typed from src/script-tag.ts's own exports.
 */
function scriptGlobalTypes(): Plugin {
  const text = `/**
 * The global the script-tag build (localrec.iife.js) defines. Bring it into a project with
 * \`/// <reference types="localrec/global" />\` or \`"types": ["localrec/global"]\` in tsconfig.json.
 */
type LocalrecGlobal = import('./script-tag').LocalrecGlobal;

declare global {
  interface Window {
    localrec: LocalrecGlobal;
  }
  var localrec: LocalrecGlobal;
}

export {};
`;
  return {
    name: 'localrec-script-global-types',
    apply: 'build',
    closeBundle() {
      const dir = resolve(import.meta.dirname, 'dist/types');
      mkdirSync(dir, { recursive: true });
      writeFileSync(resolve(dir, 'global.d.ts'), text);
    },
  };
}
