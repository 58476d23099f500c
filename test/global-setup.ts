// Tests that spawn the real CLI need it built from the current sources.
import { execFileSync } from 'node:child_process';

export default function setup() {
  execFileSync(
    'npx',
    ['vite', 'build', '--config', 'vite.headless.config.ts', '--logLevel', 'error'],
    {
      stdio: 'inherit',
    },
  );
}
