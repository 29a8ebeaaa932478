import { defineConfig, type Plugin } from 'vite';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { watModules } from './scripts/vite-wat.mjs';

/**
 * The builds of this repository, one per mode:
 * - `--mode demo` (default): the demo storefront in demo/, served by `npm start`; demo/data is
 *   its public folder (catalog, bundle, population parameters). Three pages, one per integration
 *   style (index.html, ga4.html, snippet.html; see demoPages below); the snippet page needs the
 *   lib, script and commands builds and the snippet first, which it publishes under dist/demo/sdk/;
 * - `--mode lib`: the npm entry (ESM, dist/lib/localrec.js);
 * - `--mode script`: the script-tag build (IIFE defining `window.localrec`, dist/lib/localrec.iife.js),
 *   plus dist/types/global.d.ts, the type of that global;
 * - `--mode commands`: `localrec('track', …)` for the script tag and the snippet
 *   (dist/lib/localrec-commands.js, src/snippet/commands.ts), which the script-tag build imports
 *   beside itself; a file of its own so it stays within its 4 KB budget;
 * - `--mode element`: `<localrec-recommendations>` (dist/lib/localrec-element.js, src/client/element.ts,
 *   `localrec/element`), which the script-tag build's commands load beside themselves when a page
 *   has the tag;
 * - `--mode adapters`: the pure event readers (ESM, dist/lib/adapters.js, `localrec/adapters`),
 *   which run in a page or in Node;
 * - `--mode cli`: the Node tools compiled to plain JS (dist/cli/localrec.js, what `npx localrec`
 *   runs through bin/localrec.mjs), so the installed package needs neither tsx nor TypeScript;
 *   the store-side build's .sql files go beside it (dist/cli/sql/), where it reads them.
 * The lib build emits the engine worker as dist/lib/localrec-worker.js and its wasm files as
 * dist/lib/assets/*.wasm, referenced relative to the worker's own URL, so the folder can be hosted
 * on any path or CDN (the script-tag build finds the worker beside its own script).
 */
export default defineConfig(({ mode }) => {
  // The engine worker's WebAssembly kernels are .wat files, assembled on import (scripts/vite-wat.mjs).
  const worker = { format: 'es' as const, plugins: () => [watModules()] };
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
  // Extra files beside the facade in dist/lib: the script tag's commands (minified: they load on
  // every script-tag page) and the adapters (not minified: integrators read them, their bundler minifies).
  if (mode === 'commands') return besideFacade('src/snippet/commands.ts', 'localrec-commands.js', true);
  if (mode === 'adapters') return besideFacade('src/adapters/index.ts', 'adapters.js', false);
  // <localrec-recommendations> (`localrec/element`), minified: the script tag loads it when a page has the tag.
  if (mode === 'element') return besideFacade('src/client/element.ts', 'localrec-element.js', true);
  if (mode === 'cli') {
    return {
      // Everything is bundled (tfjs-core included), so the package has no run-time dependency,
      // except DuckDB: a native binary, loaded when `build-bundle` runs with its default engine.
      // It is an optional peer dependency: a store installs it beside localrec (`npm install
      // @duckdb/node-api`), and a page that only uses the SDK never downloads it.
      ssr: { noExternal: true, external: ['@duckdb/node-api'], target: 'node' as const },
      plugins: [{
        name: 'store-build-sql',
        writeBundle: () => cpSync(resolve(import.meta.dirname, 'tools/store-build/sql'), resolve(import.meta.dirname, 'dist/cli/sql'), { recursive: true }),
      }],
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
  const page = (name: string) => resolve(import.meta.dirname, 'demo', `${name}.html`);
  return {
    root: 'demo',
    publicDir: 'data',
    worker,
    plugins: [demoPages()],
    server: { host: '127.0.0.1', port: Number(process.env.PORT ?? 5173), strictPort: true },
    preview: { host: '127.0.0.1', port: Number(process.env.PORT ?? 5173), strictPort: true },
    build: {
      outDir: '../dist/demo',
      emptyOutDir: true,
      target: 'es2022',
      rolldownOptions: { input: { index: page('index'), ga4: page('ga4'), snippet: page('snippet') } },
    },
  };
});

/** The script-tag SDK's files, as the lib, script and commands builds write them to dist/lib: what a store hosts for the snippet. */
const SDK_DIR = resolve(import.meta.dirname, 'dist/lib');
const SDK_FILES = ['localrec.iife.js', 'localrec-commands.js', 'localrec-sources.js', 'localrec-element.js', 'localrec-worker.js'];
const SNIPPET = resolve(SDK_DIR, 'snippet.min.js');
const NEEDS_SDK = 'the demo\'s snippet page needs the script-tag SDK and the snippet in dist/lib: run `npm run build`, '
  + 'or `npx vite build --mode lib && npx vite build --mode script && npx vite build --mode commands && npx vite build --mode element && node scripts/build-snippet.mjs` (`npm start` does this when they are missing)';

/** The files the snippet page loads, as paths under the published sdk/ folder: the SDK, its modules, its worker and the wasm files beside the worker. */
function sdkFiles(): string[] {
  const wasm = existsSync(resolve(SDK_DIR, 'assets')) ? readdirSync(resolve(SDK_DIR, 'assets')).filter((f) => f.endsWith('.wasm')).map((f) => `assets/${f}`) : [];
  const missing = [...SDK_FILES, 'snippet.min.js'].filter((f) => !existsSync(resolve(SDK_DIR, f)));
  if (missing.length > 0 || wasm.length === 0) throw new Error(`${NEEDS_SDK}; missing: ${[...missing, ...(wasm.length ? [] : ['assets/*.wasm'])].join(', ')}`);
  return [...SDK_FILES, ...wasm];
}

/**
 * The demo's pages, one per integration style, share one body: demo/partials/storefront.html
 * replaces each page's `<!-- demo:storefront -->`, with the page's own link in the "Integration
 * styles" list marked current and its meta description as the line under it. On the snippet page,
 * `<!-- demo:snippet -->` becomes the snippet exactly as a store pastes it (dist/lib/snippet.min.js),
 * its data-src pointing at the script-tag SDK that the build publishes under sdk/ (the dev server
 * serves dist/lib there).
 */
function demoPages(): Plugin {
  const partial = resolve(import.meta.dirname, 'demo/partials/storefront.html');
  const LINKS: Record<string, string> = { 'index.html': './', 'ga4.html': './ga4.html', 'snippet.html': './snippet.html' };
  let building = false;
  return {
    name: 'localrec-demo-pages',
    configResolved(config) {
      building = config.command === 'build';
    },
    buildStart() {
      // Fail early and say what to run; the dev server answers the snippet page with that message instead.
      if (building) sdkFiles();
    },
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        let out = html;
        if (out.includes('<!-- demo:storefront -->')) {
          const file = ctx.path.split('/').pop() || 'index.html';
          const description = /<meta name="description" content="([^"]*)"/.exec(out)?.[1] ?? '';
          const body = readFileSync(partial, 'utf8')
            .replace(/^<!--[\s\S]*?-->\n/, '')
            .replace(`<a href="${LINKS[file] ?? ''}">`, (a) => a.replace('>', ' aria-current="page">'))
            .replace('<!-- demo:description -->', () => description);
          out = out.replace('<!-- demo:storefront -->', () => body.trim());
        }
        if (out.includes('<!-- demo:snippet -->')) {
          if (!existsSync(SNIPPET)) throw new Error(NEEDS_SDK);
          const snippet = readFileSync(SNIPPET, 'utf8');
          out = out.replace('<!-- demo:snippet -->', () => `<script data-src="./sdk/localrec.iife.js">${snippet}</script>`);
        }
        return out;
      },
    },
    configureServer(server) {
      server.watcher.add(partial);
      server.watcher.on('change', (file) => {
        if (file === partial) server.ws.send({ type: 'full-reload' });
      });
      server.middlewares.use('/sdk', (req, res, next) => {
        const name = decodeURIComponent((req.url ?? '').split('?')[0]!.replace(/^\//, ''));
        if (!/^(assets\/)?[\w.-]+\.(js|wasm)$/.test(name) || !existsSync(resolve(SDK_DIR, name))) return next();
        res.setHeader('content-type', name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
        res.end(readFileSync(resolve(SDK_DIR, name)));
      });
    },
    generateBundle() {
      for (const file of sdkFiles()) this.emitFile({ type: 'asset', fileName: `sdk/${file}`, source: readFileSync(resolve(SDK_DIR, file)) });
    },
  };
}

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
/** A library build of `entry` into dist/lib/`fileName` (ES module), leaving the folder's other files. */
function besideFacade(entry: string, fileName: string, minify: boolean) {
  return {
    build: {
      outDir: 'dist/lib',
      emptyOutDir: false,
      minify,
      // As for the facade: library mode leaves ES output's whitespace in unless the output is minified too.
      rolldownOptions: { output: { minify } },
      target: 'es2022',
      lib: { entry: resolve(import.meta.dirname, entry), formats: ['es' as const], fileName: () => fileName },
    },
  };
}

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
