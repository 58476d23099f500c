// @ts-nocheck
// 
// `backup list|create|restore ID`: the store's copies in the data directory's backups/.
import type { Command } from '../command';
import { usageError } from '../errors';
import { json, table, when } from '../format';

export const backup: Command = {
  name: 'backup',
  summary: 'list, make or restore backups of the schedules and settings',
  help: `Usage: cmdop-scheduler backup list|create|restore ID [--json]

  list          the backups, newest first (a daily one is made automatically; 7 of each kind kept)
  create        make one now
  restore ID    put a backup's schedules and settings back; the current ones are saved first
                (as a before-restore backup), so a restore can be undone the same way
`,
  args: [1, 2],
  async run(ctx) {
    const [action, id] = ctx.positionals;
    const client = ctx.client();
    if (action === 'list' && id === undefined) {
      const list = await client.listBackups();
      if (ctx.json) ctx.out.write(json(list));
      else if (list.length === 0) ctx.out.write('no backups yet\n');
      else {
        const now = ctx.now();
        ctx.out.write(
          table(
            ['ID', 'KIND', 'MADE', 'SCHEDULES'],
            list.map((b) => [b.id, b.kind, when(b.created_at, now), String(b.schedules ?? '?')]),
          ),
        );
      }
      return 0;
    }
    if (action === 'create' && id === undefined) {
      const made = await client.createBackup();
      ctx.out.write(
        ctx.json ? json(made) : `made ${made.id} (${made.schedules ?? '?'} schedules)\n`,
      );
      return 0;
    }
    if (action === 'restore' && id !== undefined) {
      const result = await client.restoreBackup(id);
      ctx.out.write(
        ctx.json
          ? json(result)
          : `restored ${result.restored.id}: ${result.schedules} schedule(s)` +
              (result.previous
                ? `; to undo: cmdop-scheduler backup restore ${result.previous.id}`
                : '') +
              '\n',
      );
      return 0;
    }
    throw usageError(`backup takes list, create or restore ID\n\n${this.help}`);
  },
};
