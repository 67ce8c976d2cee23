import { defineConfig } from 'vite';

// The hosted page (index.html) is built into dist/ and served by the session service from its own origin.
// Every emitted file carries a content hash, so the service can give /assets/* a year-long cache lifetime.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  worker: { format: 'es' },
});
