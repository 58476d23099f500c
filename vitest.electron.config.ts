// `npm run test:electron`: the real-Electron smoke test, apart from `npm test` because it
// needs the Electron binary and a display (run it under xvfb-run on a headless machine).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/electron-smoke/**/*.smoke.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
