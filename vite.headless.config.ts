import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The headless CLI is plain Node: bundle our sources, keep node_modules external.
export default defineConfig({
  build: {
    ssr: resolve(import.meta.dirname, 'src/headless/cli.ts'),
    outDir: resolve(import.meta.dirname, 'out/headless'),
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rollupOptions: {
      output: { format: 'es', entryFileNames: 'cli.js', banner: '#!/usr/bin/env node' },
    },
  },
});
