// @ts-nocheck
// 
// `why ID|NAME [--at TIME]`: what became of a planned fire, and why, in one sentence — the
// sentence the history view and the tray show (shared/decision-sentence.ts), from the
// decision log's answer (GET /v1/schedules/:id/decisions/at). Without --at: the newest
// planned fire the engine decided about.
import { whySentence } from '../../shared/decision-sentence';
import { str, type Command } from '../command';
import { json } from '../format';

export const why: Command = {
  name: 'why',
  summary: 'why a schedule did or did not run at a time (default: its last planned fire)',
  help: `Usage: cmdop-scheduler why ID|NAME [--at TIME] [--json]

  --at TIME      the instant asked about (ISO 8601 with a zone, e.g. 2026-03-08T08:00:00Z);
                 default: the last planned fire the engine decided about

Answers for the planned fire nearest TIME (saying so when none was planned at TIME itself):
whether it ran, and if not, why — a pause, overlap, battery power, the app not running, the
machine asleep, a DST change, a retry. Times are read in the schedule's zone.
--json prints the API's answer: {"data": {…, "sentence": "…"}}.
`,
  options: { at: { type: 'string' } },
  args: [1, 1],
  async run(ctx) {
    const client = ctx.client();
    const schedule = await client.resolve(ctx.positionals[0] as string);
    let time = str(ctx, 'at');
    if (time === undefined) {
      const newest = await client.decisions(schedule.id, { limit: 1 });
      const last = newest.data[0];
      if (!last) {
        ctx.out.write(
          `No planned fire of ${schedule.name} has been decided yet${schedule.next_run ? `; the next is at ${schedule.next_run}` : ''}.\n`,
        );
        return 0;
      }
      time = last.last_scheduled_for;
    }
    const answer = await client.decisionAt(schedule.id, { time });
    if (ctx.json) {
      ctx.out.write(json({ data: answer }));
      return 0;
    }
    ctx.out.write(`${whySentence(answer, ctx.now())}\n`);
    return 0;
  },
};
