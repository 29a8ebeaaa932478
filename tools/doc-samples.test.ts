/**
 * Every code sample of the integration guide (docs/integration.md), and those of docs/sources.md
 * and docs/snippet.md, compiles against the package's public types, so the guide cannot drift
 * from the API it describes.
 *
 * - ```ts and ```js blocks are written to a temporary folder, one module each, and type-checked
 *   together with the TypeScript compiler API: strict, DOM, `localrec` mapped to src/index.ts,
 *   `localrec/adapters` to src/adapters/index.ts and `localrec/element` to src/client/element.ts,
 *   plus a small prelude declaring what a store's
 *   page provides (`dataLayer`, Segment's `analytics`) and the script-tag global `localrec`
 *   (what `localrec/global` declares). JavaScript is checked too (checkJs).
 * - ```html blocks: each inline script parses (a classic one as a classic script would), and is
 *   type-checked as JavaScript, except the snippet, which must be the text docs/snippet.md
 *   gives, byte for byte, with the CSP hash the guide quotes.
 * - ```json blocks parse, and a catalog passes the SDK's own catalog validation.
 * - ```sh blocks: every `npx localrec <command>` exists and uses only options of that command's
 *   usage line, with its required ones.
 *
 * A block whose fence says `no-check` (```ts no-check) is skipped. Samples of docs/sources.md and
 * docs/snippet.md are fragments: those that call `createLocalrec` without importing it get the
 * import added. The guide's own samples must be complete. Deliberately broken samples prove that
 * a sample that should not compile fails.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCatalog } from '../src/core/catalog';

const root = resolve(import.meta.dirname, '..');
const GUIDE = 'docs/integration.md';
/** Checked like the guide; their samples may be fragments (see FRAGMENT_IMPORT). */
const OTHER_DOCS = ['docs/sources.md', 'docs/snippet.md'];
/** Only its scripts' syntax is checked: the pixel runs in Shopify's sandbox, with its globals. */
const SYNTAX_ONLY = ['docs/shopify-pixel.md'];
const FRAGMENT_IMPORT = "import { createLocalrec } from 'localrec';\n";

interface Block { doc: string; line: number; lang: string; info: string; code: string }

/** The fenced blocks of a markdown file; `line` is the 1-based line of the block's first code line. */
function blocks(doc: string): Block[] {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    out.push({ doc, line: start + 1, lang: open[1]!, info: open[2]!.trim(), code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return out;
}

interface Script { attrs: string; body: string }

function inlineScripts(html: string): Script[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1]!, body: m[2]! })).filter((s) => s.body.trim() !== '');
}

/** Throws a SyntaxError unless `body` parses as a classic script (no imports, no top-level await). */
function parseClassic(body: string): void {
  // Parsed, never called.
  void new Function(body);
}

const cspHash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The snippet as docs/snippet.md gives it: the text between its <script> and </script>. */
const snippetText = (): string => {
  const html = blocks('docs/snippet.md').find((b) => b.lang === 'html');
  const body = html && inlineScripts(html.code)[0]?.body;
  if (!body) throw new Error('docs/snippet.md has no snippet');
  return body;
};

/** One module to type-check: a doc's sample, or a deliberately broken one. */
interface Sample {
  name: string;
  file: string;
  code: string;
  /** Where the sample's first line is in its doc, and how many lines were added before it. */
  at?: { doc: string; line: number; added: number };
}

const dir = mkdtempSync(join(tmpdir(), 'localrec-doc-samples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PRELUDE = `/** What a store's page provides, which the guide's samples use as a page would. */
export {};
declare global {
  /** Google Tag Manager / gtag.js */
  var dataLayer: unknown[] | undefined;
  /** Segment's analytics.js (or its snippet's queue) */
  var analytics: {
    on(event: 'track', listener: (event: unknown, properties: unknown) => void): unknown;
    track(event: string, properties?: object): unknown;
  };
  /** The script-tag build's global, as \`localrec/global\` declares it (dist/types/global.d.ts). */
  var localrec: import(${JSON.stringify(join(root, 'src/script-tag'))}).LocalrecGlobal;
}
`;

const samples: Sample[] = [];
const structural: { name: string; check: () => void }[] = [];

function addSample(b: Block, code: string, ext: 'ts' | 'js', fragment: boolean): void {
  const n = samples.length + 1;
  const needsImport = fragment && /(^|[^.\w])createLocalrec\(/.test(code) && !/\bimport\b[^;]*\bcreateLocalrec\b/.test(code);
  const prefix = needsImport ? FRAGMENT_IMPORT : '';
  samples.push({
    name: `${b.doc}:${b.line} (${b.lang}${ext !== b.lang ? ` → ${ext}` : ''})`,
    file: join(dir, `sample-${String(n).padStart(2, '0')}.${ext}`),
    code: prefix + code,
    at: { doc: b.doc, line: b.line, added: prefix.split('\n').length - 1 },
  });
}

for (const doc of [GUIDE, ...OTHER_DOCS]) {
  const fragment = doc !== GUIDE;
  for (const b of blocks(doc)) {
    if (b.info.split(/\s+/).includes('no-check')) continue;
    if (b.lang === 'ts' || b.lang === 'js') addSample(b, b.code, b.lang, fragment);
    else if (b.lang === 'html') {
      for (const s of inlineScripts(b.code)) {
        if (s.body === snippetText()) {
          structural.push({
            name: `${b.doc}:${b.line}: the snippet is docs/snippet.md's, and the doc quotes its CSP hash`,
            check: () => {
              expect(s.body).toBe(snippetText());
              expect(readFileSync(join(root, b.doc), 'utf8')).toContain(cspHash(s.body));
            },
          });
          continue;
        }
        const module = /\btype=["']?module\b/.test(s.attrs);
        if (!module) structural.push({ name: `${b.doc}:${b.line}: an inline script parses as a classic script`, check: () => parseClassic(s.body) });
        addSample(b, s.body, 'js', fragment);
      }
    } else if (b.lang === 'json') {
      structural.push({
        name: `${b.doc}:${b.line}: JSON parses${doc === GUIDE ? ', and a catalog validates' : ''}`,
        check: () => {
          const json: unknown = JSON.parse(b.code);
          if ((json as { format?: unknown }).format === 'localrec-catalog') expect(() => parseCatalog(json)).not.toThrow();
        },
      });
    } else if (b.lang === 'sh') {
      for (const command of b.code.split('\n').filter((l) => /^npx localrec\b/.test(l))) {
        structural.push({ name: `${b.doc}:${b.line}: \`${command.slice(0, 60)}…\` matches the tool's usage`, check: () => checkCommand(command) });
      }
    }
  }
}

for (const doc of SYNTAX_ONLY) {
  for (const b of blocks(doc)) {
    const bodies = b.lang === 'js' ? [b.code] : b.lang === 'html' ? inlineScripts(b.code).map((s) => s.body) : [];
    for (const body of bodies) structural.push({ name: `${b.doc}:${b.line}: the ${b.lang} parses`, check: () => parseClassic(body) });
  }
}

/** `npx localrec <command> --flag …`: the command exists, and its flags are those of its USAGE (tools/<command>.ts). */
function checkCommand(line: string): void {
  const [, , name, ...args] = line.trim().split(/\s+/);
  expect(readFileSync(join(root, 'tools/localrec.ts'), 'utf8')).toContain(`'${name}': {`);
  const source = readFileSync(join(root, `tools/${name}.ts`), 'utf8');
  const usage = /export const USAGE = [`'](.*)[`'];/.exec(source)?.[1];
  if (!usage) throw new Error(`tools/${name}.ts has no USAGE line`);
  const known = new Set(usage.match(/--[a-z][a-z-]*/g));
  const required = usage.replace(/\[[^\]]*\]/g, '').match(/--[a-z][a-z-]*/g) ?? [];
  const given = args.filter((a) => a.startsWith('--'));
  expect(given.filter((f) => !known.has(f)), `options not in "${usage}"`).toEqual([]);
  expect(required.filter((f) => !given.includes(f)), `required options of "${usage}"`).toEqual([]);
}

/** Samples that must not compile: each is a mistake a reader could make with the API. */
const BROKEN: { name: string; ext: 'ts' | 'js'; code: string; expect: RegExp }[] = [
  {
    name: 'a misspelt event field',
    ext: 'ts',
    code: "import { createLocalrec } from 'localrec';\nconst rec = createLocalrec({ catalog: '/catalog.json' });\nawait rec.track({ type: 'view', item: '85123A' });\n",
    expect: /'item' does not exist/,
  },
  {
    name: 'an export the package does not have',
    ext: 'ts',
    code: "import { createRecommender } from 'localrec';\ncreateRecommender();\n",
    expect: /has no exported member 'createRecommender'/,
  },
  {
    name: 'an adapter called with the wrong arguments',
    ext: 'ts',
    code: "import { readSegment } from 'localrec/adapters';\nreadSegment({ event: 'Order Completed' });\n",
    expect: /Expected 2-3 arguments, but got 1/,
  },
  {
    name: 'a snippet call with an unknown event type, in JavaScript',
    ext: 'js',
    code: "localrec('track', { type: 'veiw', itemId: '85123A' });\n",
    expect: /'"veiw"' is not assignable/,
  },
  {
    name: 'an option createLocalrec does not take',
    ext: 'js',
    code: "localrec.createLocalrec({ catalog: '/catalog.json', consent: 'yes' });\n",
    expect: /'"yes"' is not assignable/,
  },
];
const broken = BROKEN.map((b, i) => ({ ...b, file: join(dir, `broken-${i + 1}.${b.ext}`) }));

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: [],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  verbatimModuleSyntax: true,
  allowJs: true,
  checkJs: true,
  skipLibCheck: true,
  noEmit: true,
  paths: {
    localrec: [join(root, 'src/index.ts')],
    'localrec/adapters': [join(root, 'src/adapters/index.ts')],
    'localrec/element': [join(root, 'src/client/element.ts')],
  },
};

let program: ts.Program | undefined;
/** One program for every sample (built once, on first use): each sample is a module of its own. */
function compiled(): ts.Program {
  if (program) return program;
  const prelude = join(dir, 'page-prelude.d.ts');
  writeFileSync(prelude, PRELUDE);
  for (const s of samples) writeFileSync(s.file, s.code);
  for (const b of broken) writeFileSync(b.file, b.code);
  program = ts.createProgram([prelude, ...samples.map((s) => s.file), ...broken.map((b) => b.file)], OPTIONS);
  return program;
}

/** The diagnostics of one file, as `doc:line: TSnnnn message`. */
function errorsIn(file: string, at?: Sample['at']): string[] {
  const p = compiled();
  const source = p.getSourceFile(file);
  if (!source) throw new Error(`${file} is not in the program`);
  return [...p.getSyntacticDiagnostics(source), ...p.getSemanticDiagnostics(source)].map((d) => {
    const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line;
    const where = at ? `${at.doc}:${at.line + line - at.added}` : `${file}:${line + 1}`;
    return `${where}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('the code samples of the docs', () => {
  it('finds the guide\'s samples, and maps `localrec`, `localrec/adapters` and `localrec/element` to the sources', () => {
    expect(samples.filter((s) => s.at?.doc === GUIDE).length).toBeGreaterThanOrEqual(12);
    for (const [name, target] of [['localrec', 'src/index.ts'], ['localrec/adapters', 'src/adapters/index.ts'], ['localrec/element', 'src/client/element.ts']] as const) {
      const found = ts.resolveModuleName(name, join(dir, 'sample-01.ts'), OPTIONS, ts.sys).resolvedModule?.resolvedFileName;
      expect(found).toBe(join(root, target));
    }
  });

  for (const s of samples) {
    it(`${s.name} compiles`, () => {
      expect(errorsIn(s.file, s.at)).toEqual([]);
    });
  }

  for (const c of structural) it(c.name, c.check);

  for (const b of broken) {
    it(`a broken sample fails: ${b.name}`, () => {
      const errors = errorsIn(b.file);
      expect(errors.length, 'the checker accepted a sample it must refuse').toBeGreaterThan(0);
      expect(errors.join('\n')).toMatch(b.expect);
    });
  }

  it('a broken inline script fails to parse', () => {
    expect(() => parseClassic("const rec = localrec.createLocalrec({ catalog: '/catalog.json' ;")).toThrow(SyntaxError);
    expect(() => parseClassic("await localrec('ready');")).toThrow(SyntaxError);
  });
});
