// @ts-nocheck
// 
// `pause` and `resume`: the global pause (every schedule; for a time or until resumed) and a
// schedule's own paused_until, as the tray's "Pause for 1 hour / until tomorrow / until I
// resume" does.
import { str, type Command, type Context } from '../command';
import { usageError } from '../errors';
import { json, when } from '../format';
import { parseInstant } from './schedules';

/** The end of the pause the flags ask for: an instant, null (until resumed) or an error. */
function pauseEnd(ctx: Context): string | null {
  const forText = str(ctx, 'for');
  const until = str(ctx, 'until');
  if (forText !== undefined && until !== undefined) {
    throw usageError('--for and --until contradict each other; give one');
  }
  if (forText !== undefined) return parseInstant(`+${forText}`, 'for', ctx.now());
  return until === undefined ? null : parseInstant(until, 'until', ctx.now());
}

export const pause: Command = {
  name: 'pause',
  summary: 'pause every schedule (or one) for a time, or until `resume`',
  help: `Usage: cmdop-scheduler pause [ID|NAME] [--for DURATION | --until TIME] [--json]

  Without ID: every schedule's fires stop (run now still works); without --for or --until
  the pause lasts until \`cmdop-scheduler resume\`.
  With ID: that schedule's fires stop for a time (--for or --until; to stop it for good,
  disable it). Fires missed while paused run once at the end with --catch-up schedules.

  --for DURATION   e.g. 30m, 1h, 2d
  --until TIME     ISO 8601, e.g. 2026-06-02T09:00:00+02:00
`,
  options: { for: { type: 'string' }, until: { type: 'string' } },
  args: [0, 1],
  async run(ctx) {
    const client = ctx.client();
    const end = pauseEnd(ctx);
    const ref = ctx.positionals[0];
    if (ref !== undefined) {
      if (end === null) {
        throw usageError('a schedule is paused for a time: give --for or --until (or disable it)');
      }
      const s = await client.resolve(ref);
      const updated = await client.update(s.id, { paused_until: end });
      ctx.out.write(
        ctx.json
          ? json(updated)
          : `paused ${updated.id} '${updated.name}' until ${when(updated.paused_until, ctx.now())}; next run ${when(updated.next_run, ctx.now())}\n`,
      );
      return 0;
    }
    const settings = await client.updateSettings(
      end === null ? { paused: true, paused_until: null } : { paused_until: end },
    );
    ctx.out.write(
      ctx.json
        ? json({ paused: settings.paused, paused_until: settings.paused_until })
        : settings.paused_until
          ? `every schedule is paused until ${when(settings.paused_until, ctx.now())}\n`
          : 'every schedule is paused until you resume (cmdop-scheduler resume)\n',
    );
    return 0;
  },
};

export const resume: Command = {
  name: 'resume',
  summary: 'end the pause of every schedule (or of one)',
  help: 'Usage: cmdop-scheduler resume [ID|NAME] [--json]\n',
  args: [0, 1],
  async run(ctx) {
    const client = ctx.client();
    const ref = ctx.positionals[0];
    if (ref !== undefined) {
      const s = await client.resolve(ref);
      const updated = await client.update(s.id, { paused_until: null });
      ctx.out.write(
        ctx.json
          ? json(updated)
          : `resumed ${updated.id} '${updated.name}'; next run ${when(updated.next_run, ctx.now())}\n`,
      );
      return 0;
    }
    const settings = await client.updateSettings({ paused: false });
    ctx.out.write(
      ctx.json
        ? json({ paused: settings.paused, paused_until: settings.paused_until })
        : 'schedules run again\n',
    );
    return 0;
  },
};
