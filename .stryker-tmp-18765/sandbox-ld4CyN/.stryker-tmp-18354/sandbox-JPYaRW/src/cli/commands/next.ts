// @ts-nocheck
// 
// `next ID|NAME [--count N] [--from TIME]`: when a schedule will fire, as the engine itself
// answers it (GET /v1/schedules/:id/fires): the zone's wall time and offset of each fire,
// and what DST, the random delay and a pause do to it.
import { dstNote, type FireTime, type FiresResult } from '../../shared/fires-api';
import { str, type Command } from '../command';
import { duration, json, table, when } from '../format';

function note(f: FireTime, fixedTime: boolean): string {
  const notes: string[] = [];
  const dst = dstNote(f, fixedTime);
  if (dst) notes.push(dst);
  if (f.paused) notes.push('paused: will not run');
  return notes.join('; ');
}

function header(name: string, r: FiresResult, now: number): string[] {
  const m = r.meta;
  const lines = [`${name} (${m.schedule_id}): ${m.cron} in ${m.timezone}`];
  if (m.random_delay > 0 && m.delay !== null) {
    lines.push(
      `each start is ${duration(m.delay)} after the cron time (random delay below ${duration(m.random_delay)})`,
    );
  }
  if (m.enabled === false) lines.push('DISABLED: none of these will run until it is enabled');
  if (m.paused) {
    lines.push(
      m.paused_until ? `PAUSED until ${when(m.paused_until, now)}` : 'PAUSED until resumed',
    );
  }
  return lines;
}

export const next: Command = {
  name: 'next',
  summary: 'when a schedule fires next, as the engine computes it (DST, delay, pauses)',
  help: `Usage: cmdop-scheduler next ID|NAME [--count N] [--from TIME] [--json]

  --count N      how many fires (1-1000, default 10)
  --from TIME    fires after this instant (ISO 8601 with a zone; default now)

Each fire is shown in the schedule's own zone with its UTC offset and instant. A time the
spring DST change skips is marked "moved"; a time the autumn change repeats, "happens
twice". --json prints the API's answer: {"data": [fires], "meta": {…}}.
`,
  options: { count: { type: 'string' }, from: { type: 'string' } },
  args: [1, 1],
  async run(ctx) {
    const client = ctx.client();
    const schedule = await client.resolve(ctx.positionals[0] as string);
    const result = await client.scheduleFires(schedule.id, {
      count: str(ctx, 'count'),
      from: str(ctx, 'from'),
    });
    if (ctx.json) {
      ctx.out.write(json(result));
      return 0;
    }
    const now = ctx.now();
    const rows = result.data.map((f) => [
      f.local.replace('T', ' '),
      f.utc_offset,
      f.at,
      note(f, result.meta.fixed_time),
    ]);
    ctx.out.write(`${header(schedule.name, result, now).join('\n')}\n`);
    ctx.out.write(
      rows.length > 0
        ? table(['LOCAL TIME', 'OFFSET', 'UTC', 'NOTE'], rows)
        : `no fires before ${result.meta.horizon}\n`,
    );
    return 0;
  },
};
