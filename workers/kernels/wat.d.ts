/** A .wat file, assembled at build time by scripts/vite-wat.mjs: its WebAssembly bytes. */
declare module '*.wat' {
  const bytes: Uint8Array;
  export default bytes;
}
