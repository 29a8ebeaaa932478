import { defineConfig } from 'vite';

/**
 * The fixture storefront's own Vite build: what an integrator's app config would be. public/
 * holds the store's catalog; localrec needs no plugin and no setting here.
 */
export default defineConfig({
  root: import.meta.dirname,
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
