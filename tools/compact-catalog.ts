/**
 * Converts a JSON v1 catalog to the compact format (src/core/catalog-compact.ts): columns, with
 * the embeddings quantised to int8. Validates the catalog first, as the SDK would.
 *
 *   npm run compact-catalog -- catalog.json catalog.lrc
 *
 * Prints the sizes (raw and gzip) of both files as JSON. Serve the .lrc file as the catalog URL;
 * the SDK tells the formats apart by their first bytes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseCatalog, type CatalogJson } from '../src/core/catalog';
import { encodeCompactCatalog } from '../src/core/catalog-compact';
import { LocalrecError } from '../src/core/errors';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: npm run compact-catalog -- <catalog.json> <out.lrc>');
  process.exit(2);
}
try {
  const text = readFileSync(input);
  const json = JSON.parse(text.toString('utf8')) as CatalogJson;
  const catalog = parseCatalog(json);
  const bytes = encodeCompactCatalog(json);
  writeFileSync(output, bytes);
  const size = (b: Uint8Array) => ({ bytes: b.length, gzipBytes: gzipSync(b).length });
  console.log(JSON.stringify({ version: catalog.version, items: catalog.items.length, embeddingDim: catalog.hashedItems === catalog.items.length ? 0 : catalog.dim, json: size(text), compact: size(bytes), output }, null, 1));
} catch (e) {
  console.error(e instanceof LocalrecError ? `${e.code}: ${e.message}` : e instanceof SyntaxError ? `${input} is not valid JSON: ${e.message}` : String(e));
  process.exit(1);
}
