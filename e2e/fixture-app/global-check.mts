/**
 * A type check only (never bundled): a page that loads localrec.iife.js with a <script> tag and
 * uses the `window.localrec` global, typed by `localrec/global` (see ./tsconfig.json).
 */
export async function startFromScriptTag(): Promise<number> {
  const rec = window.localrec.createLocalrec({ catalog: '/catalog.json' });
  // @ts-expect-error the global is typed, not `any`: a catalog is required
  localrec.createLocalrec({});
  try {
    return (await rec.ready()).items;
  } catch (e) {
    if (e instanceof localrec.LocalrecError) return e.code === 'catalog_fetch_failed' ? 0 : -1;
    throw e;
  }
}
