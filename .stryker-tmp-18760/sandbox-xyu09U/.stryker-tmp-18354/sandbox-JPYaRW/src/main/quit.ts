// @ts-nocheck
// 
// Quitting, made total: whatever fails — the dialog, stopping the engine, freeing the
// lock — the process exits, and never waits unboundedly on anything but the commands the
// user chose to wait for (quitting again during that wait cancels them).
import type { Logger } from '../core/log';
import type { Timers } from '../core/timers';
import { quitFailure, type ErrorBox } from './startup-errors';

export type QuitAnswer = 'wait' | 'cancel' | 'keep';

export interface QuitDeps {
  /** Commands running now (0 when the host never opened). */
  running(): number;
  /** Asks whether to wait for running commands, cancel them, or keep the app running. */
  ask(running: number): Promise<QuitAnswer>;
  /** Stops the engine and frees the data-folder lock. */
  close(mode: 'wait' | 'cancel'): Promise<void>;
  /** Cancels every running command (a second Quit while waiting). */
  cancelRunning(): void;
  showError(box: ErrorBox): void;
  exit(code: number): void;
  log: Logger;
  timers: Timers;
  /** Longest wait for stopping once nothing is awaited any more (cancel's kill grace and more). */
  closeTimeoutMs: number;
}

export class QuitController {
  #phase: 'idle' | 'asking' | 'waiting' | 'stopping' = 'idle';
  readonly #deps: QuitDeps;

  constructor(deps: QuitDeps) {
    this.#deps = deps;
  }

  /** True once a quit is under way: Electron's own quit must be held back meanwhile. */
  get busy(): boolean {
    return this.#phase !== 'idle';
  }

  /** Starts quitting; while waiting for commands, a second request cancels them. */
  request(): void {
    if (this.#phase === 'waiting') {
      this.#deps.log.info('quit requested again: cancelling the running commands');
      this.#deps.cancelRunning();
      return;
    }
    if (this.#phase !== 'idle') return;
    void this.#run();
  }

  async #run(): Promise<void> {
    const deps = this.#deps;
    this.#phase = 'asking';
    let mode: 'wait' | 'cancel' = 'cancel';
    try {
      const running = deps.running();
      if (running > 0) {
        const answer = await deps.ask(running);
        if (answer === 'keep') {
          this.#phase = 'idle';
          return;
        }
        mode = answer;
      }
      deps.log.info(
        `quitting: ${running} running command(s) ${mode === 'wait' ? 'awaited' : 'cancelled'}`,
      );
    } catch (e) {
      // A dialog that cannot be shown must not leave the app unable to quit.
      deps.log.error(`quit dialog failed: ${(e as Error).message}; cancelling running commands`);
    }
    this.#phase = mode === 'wait' ? 'waiting' : 'stopping';
    let code = 0;
    try {
      const closing = deps.close(mode);
      if (mode === 'wait') {
        await closing;
      } else {
        await this.#bounded(closing);
      }
    } catch (e) {
      code = 1;
      deps.log.error(`stopping failed: ${(e as Error).message}`);
      try {
        deps.showError(quitFailure(e));
      } catch {
        // Nothing more can be told; exiting is what matters now.
      }
    }
    this.#phase = 'stopping';
    deps.exit(code);
  }

  #bounded(work: Promise<void>): Promise<void> {
    const { timers, closeTimeoutMs } = this.#deps;
    let timer: unknown = null;
    const timeout = new Promise<never>((_, reject) => {
      timer = timers.setTimeout(
        () => reject(new Error(`stopping took longer than ${closeTimeoutMs / 1000} s`)),
        closeTimeoutMs,
      );
    });
    return Promise.race([work, timeout]).finally(() => timers.clearTimeout(timer));
  }
}
