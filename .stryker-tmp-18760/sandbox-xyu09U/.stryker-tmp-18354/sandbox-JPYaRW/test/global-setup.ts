// @ts-nocheck
// 
// Tests run the real CLI and the real UI, so both are built from the current sources first.
import { execFileSync } from 'node:child_process';

export default function setup() {
  const run = (args: string[]) =>
    execFileSync('npx', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  run(['electron-vite', 'build', '--logLevel', 'error']);
  run(['vite', 'build', '--config', 'vite.headless.config.ts', '--logLevel', 'error']);
}
