import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// A test page that drives the vision layer directly (images and camera streams), built like the hosted
// page (same worker format, hashed assets) into e2e/.artifacts/harness for the browser tests only.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: resolve(import.meta.dirname, '../.artifacts/harness'),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
  },
  worker: { format: 'es' },
});
