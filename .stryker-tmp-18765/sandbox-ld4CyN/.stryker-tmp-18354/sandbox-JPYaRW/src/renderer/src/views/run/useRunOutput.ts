// @ts-nocheck
// 
// A run and its output, followed live from its first byte. Subscribed before anything is
// fetched; the run as the server has it now (output so far, and where each stream ends) is
// the base, and run.output events are appended by their offset: what the base already holds
// is skipped, and a jump in the offsets (output the server did not send live) fetches the
// base again. A server that gives no offsets (a remote machine's) is asked again every few
// seconds instead, as no events come from it.
import { useEffect, useState } from 'react';
import { toRun } from '../../../../shared/cmdop-command';
import type { RunOutputEvent } from '../../../../shared/events';
import {
  EMPTY_LOG,
  logFromSnapshot,
  mergeChunk,
  type OutputLog,
} from '../../../../shared/output-log';
import type { Run } from '../../../../shared/types';
import type { AppApi } from '../../api/types';

type Stream = 'stdout' | 'stderr';
export type Logs = Record<Stream, OutputLog>;

export interface RunOutput {
  run: Run | null;
  logs: Logs;
  error: string | null;
}

/** How often a run without live events is asked for again while it runs. */
export const POLL_MS = 2000;

const NOTHING: RunOutput = {
  run: null,
  logs: { stdout: EMPTY_LOG, stderr: EMPTY_LOG },
  error: null,
};

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function logsOf(run: Run): Logs {
  const ends = run.output_length;
  return {
    stdout: logFromSnapshot(run.stdout, ends?.stdout ?? run.stdout.length),
    stderr: logFromSnapshot(run.stderr, ends?.stderr ?? run.stderr.length),
  };
}

export function useRunOutput(api: AppApi, commandId: string, reloads = 0): RunOutput {
  const [state, setState] = useState<RunOutput>(NOTHING);

  useEffect(() => {
    let alive = true;
    let run: Run | null = null;
    let logs: Logs = NOTHING.logs;
    // Set once the run has ended: the stored run is final, nothing later is newer.
    let final = false;
    // Whether events can be placed by offset on what is shown.
    let based = false;
    let waiting: RunOutputEvent[] = [];
    let fetching = false;
    let fetchAgain = false;
    let poll: ReturnType<typeof setTimeout> | null = null;
    setState(NOTHING);

    const publish = (error: string | null = null) => {
      if (alive) setState({ run, logs, error });
    };

    const place = (e: RunOutputEvent): boolean => {
      const merged = mergeChunk(logs[e.stream], e.chunk, e.offset);
      if (merged.kind === 'gap') return false;
      logs = { ...logs, [e.stream]: merged.log };
      return true;
    };

    const adopt = (fresh: Run) => {
      run = fresh;
      logs = logsOf(fresh);
      if (fresh.status !== 'running') {
        final = true;
      } else if (fresh.output_length) {
        based = true;
        const early = waiting;
        waiting = [];
        for (const e of early) if (!place(e)) waiting.push(e);
        if (waiting.length > 0) fetchBase();
      } else {
        poll = setTimeout(fetchBase, POLL_MS);
      }
      publish();
    };

    function fetchBase() {
      if (fetching) {
        fetchAgain = true;
        return;
      }
      fetching = true;
      api.getCommand(commandId).then(
        (command) => {
          fetching = false;
          if (!alive || final) return;
          // The UI shows runs: the command's precise status and run id are in it.
          adopt(toRun(command));
          if (fetchAgain && !final) {
            fetchAgain = false;
            fetchBase();
          }
        },
        (e: unknown) => {
          fetching = false;
          if (alive && !final) publish(message(e));
        },
      );
    }

    const unsubscribe = api.subscribe((event) => {
      if (!alive || final) return;
      if (event.type === 'run.output' && event.command_id === commandId) {
        if (!based) {
          waiting.push(event);
        } else if (!place(event)) {
          // Output went by that was not sent live: the server's log has it.
          based = false;
          waiting.push(event);
          fetchBase();
        } else publish();
      } else if (event.type === 'run.finished' && event.run.command_id === commandId) {
        final = true;
        run = event.run;
        logs = logsOf(event.run);
        publish();
      } else if (event.type === 'run.started' && event.run.command_id === commandId && !run) {
        run = event.run;
        publish();
      }
    });
    fetchBase();
    return () => {
      alive = false;
      if (poll) clearTimeout(poll);
      unsubscribe();
    };
  }, [api, commandId, reloads]);

  return state;
}
