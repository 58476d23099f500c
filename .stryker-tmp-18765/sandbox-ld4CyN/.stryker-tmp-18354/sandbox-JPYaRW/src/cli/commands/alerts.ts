// @ts-nocheck
// 
// `test-alerts ID|NAME`: the editor's "Send test" from a terminal — one sample to the
// schedule's webhook and health-check ping, and what each receiver answered.
import type { Command } from '../command';
import { CliError, EXIT } from '../errors';
import { json } from '../format';

export const testAlerts: Command = {
  name: 'test-alerts',
  summary: "send a test to a schedule's webhook and ping URL",
  help: `Usage: cmdop-scheduler test-alerts ID|NAME [--json]

Sends a sample to each alert channel of the schedule once (the webhook gets a "test" event;
the ping goes to URL/log, which healthchecks.io records without changing the check's state)
and prints what each receiver answered. Exits 1 if any channel failed.
`,
  args: [1, 1],
  async run(ctx) {
    const client = ctx.client();
    const s = await client.resolve(ctx.positionals[0] as string);
    const result = await client.testNotify(s.id);
    if (ctx.json) ctx.out.write(json(result));
    else {
      for (const r of result.results) {
        const answer = r.ok
          ? `ok (HTTP ${r.status_code})`
          : `failed: ${r.error ?? 'no reason given'}`;
        ctx.out.write(`${r.channel.padEnd(8)}${r.url}  ${answer}\n`);
      }
    }
    if (!result.ok) throw new CliError('a channel did not accept the test', EXIT.failed);
    return 0;
  },
};
