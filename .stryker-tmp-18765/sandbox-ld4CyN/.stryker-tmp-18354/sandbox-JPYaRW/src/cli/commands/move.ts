// @ts-nocheck
// 
// Moving in and out: `import` (a crontab, a system crontab, or our JSON export; --dry-run
// shows the plan) and `export` (JSON, crontab, or systemd units).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { mkdirPrivate, writePrivateAtomic } from '../../core/private-fs';
import { ApiError } from '../../shared/errors';
import { isSystemCrontabPath, parseCrontab, type LineReport } from '../../shared/crontab-import';
import { formatCrontab } from '../../shared/crontab-export';
import { buildExport, isExportFile, parseExport } from '../../shared/export-format';
import { planImport, type PlannedItem } from '../../shared/import-plan';
import type { SettingsPatchInput } from '../../shared/settings';
import { formatSystemdUnits } from '../../shared/systemd';
import type { CliClient } from '../client';
import { flag, str, type Command, type Context } from '../command';
import { CliError, usageError } from '../errors';
import { json } from '../format';
import { localZone } from './schedules';

interface Source {
  items: PlannedItem[];
  reports: LineReport[];
  settings: SettingsPatchInput | null;
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fromText(ctx: Context, text: string, path: string | null): Source {
  const format = str(ctx, 'format') ?? (isExportFile(readJson(text)) ? 'json' : 'crontab');
  if (format === 'json') {
    const value = readJson(text);
    if (value === undefined) throw new CliError(`${path ?? 'standard input'} is not valid JSON`);
    const { items, settings } = parseExport(value);
    const source = (i: number) => `schedules.${i} (${String(items[i]?.name ?? '')})`;
    return { items: items.map((item, i) => ({ source: source(i), item })), reports: [], settings };
  }
  if (format !== 'crontab') throw usageError(`--format must be crontab or json, got '${format}'`);
  const parsed = parseCrontab(text, {
    system: flag(ctx, 'system') || (path !== null && isSystemCrontabPath(path)),
    timezone: str(ctx, 'timezone') ?? localZone(),
    currentUser: userInfo().username,
  });
  return {
    items: parsed.entries.map((e) => ({ source: `line ${e.line}`, item: e.schedule })),
    reports: parsed.reports,
    settings: null,
  };
}

/** Only the parts of the settings that differ, so an unchanged remote URL is not touched. */
async function settingsPatch(client: CliClient, wanted: SettingsPatchInput) {
  const current = await client.getSettings();
  const patch: Record<string, unknown> = {};
  const have: Record<string, unknown> = { ...current, remote: { url: current.remote.url } };
  for (const [key, value] of Object.entries(wanted)) {
    if (JSON.stringify(have[key]) !== JSON.stringify(value)) patch[key] = value;
  }
  return Object.keys(patch).length ? (patch as SettingsPatchInput) : null;
}

/** The server names items by index (`items.3.cron`); the user knows them by line. */
function bySource(error: unknown, items: PlannedItem[]): unknown {
  if (!(error instanceof ApiError) || !error.details.fields) return error;
  const fields = Object.fromEntries(
    Object.entries(error.details.fields).map(([key, why]) => {
      const m = /^items\.(\d+)\.?(.*)$/.exec(key);
      const source = m ? items[Number(m[1])]?.source : undefined;
      return [source ? `${source}${m?.[2] ? ` ${m[2]}` : ''}` : key, why];
    }),
  );
  return ApiError.invalid(fields, 'import (the batch holding it was not created)');
}

export const importCommand: Command = {
  name: 'import',
  summary: 'import a crontab, a system crontab or a JSON export (FILE or - for stdin)',
  help: `Usage: cmdop-scheduler import FILE|- [--dry-run] [--format crontab|json] [--system]
                              [--timezone ZONE] [--strict] [--skip-settings] [--json]

  A crontab (\`crontab -l > my.cron\`), a system crontab (/etc/crontab, /etc/cron.d/*: with a
  user column; --system for other paths) or a file from \`export\` (found by its content).
  Schedules already present (same cron and command, or same id) are reported, not doubled.

  --dry-run          show what would be created; change nothing
  --format FORMAT    crontab or json (default: by content)
  --system           the file has a user column, as /etc/crontab does
  --timezone ZONE    the zone of lines without CRON_TZ= (default this machine's, ${localZone()})
  --strict           import nothing if any line would be skipped
  --skip-settings    JSON: leave the settings as they are
`,
  options: {
    'dry-run': { type: 'boolean', short: 'n' },
    format: { type: 'string' },
    system: { type: 'boolean' },
    timezone: { type: 'string' },
    strict: { type: 'boolean' },
    'skip-settings': { type: 'boolean' },
  },
  args: [1, 1],
  async run(ctx) {
    const file = ctx.positionals[0] as string;
    const path = file === '-' ? null : resolve(file);
    let text: string;
    try {
      text = path === null ? await ctx.stdin() : readFileSync(path, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
    }
    const source = fromText(ctx, text, path);
    const client = ctx.client();
    const existing = await client.listAll(client.target.local ? { machine_id: 'local' } : {});
    const plan = planImport(source.items, existing);
    const skipped = source.reports.filter((r) => r.level === 'skipped');
    const dryRun = flag(ctx, 'dry-run');
    const refused = flag(ctx, 'strict') && skipped.length > 0;
    const useSettings =
      source.settings !== null && !flag(ctx, 'skip-settings') && client.target.local;
    const settings = useSettings
      ? await settingsPatch(client, source.settings as SettingsPatchInput)
      : null;
    let created: Awaited<ReturnType<CliClient['createMany']>> = [];
    try {
      if (!dryRun && !refused) created = await client.createMany(plan.create.map((p) => p.item));
    } catch (e) {
      throw bySource(e, plan.create);
    }
    if (settings && !dryRun && !refused) await client.updateSettings(settings);
    if (ctx.json) {
      ctx.out.write(
        json({
          dry_run: dryRun,
          refused,
          created: dryRun
            ? plan.create.map((p) => ({ source: p.source, schedule: p.item }))
            : created,
          duplicates: plan.duplicates.map((d) => ({ source: d.source, of: d.of })),
          lines: source.reports,
          settings: settings,
        }),
      );
    } else {
      for (const r of source.reports)
        ctx.err.write(`line ${r.line}: ${r.level}: ${r.message}\n    ${r.text}\n`);
      for (const d of plan.duplicates) ctx.out.write(`${d.source}: already present as ${d.of}\n`);
      const verb = dryRun ? 'would create' : refused ? 'not created' : 'created';
      plan.create.forEach((p, i) => {
        const id = created[i]?.id ? `${created[i]?.id} ` : '';
        ctx.out.write(
          `${p.source}: ${verb} ${id}'${String(p.item.name)}' (${String(p.item.cron)}, ${String(p.item.timezone ?? 'UTC')})\n`,
        );
      });
      if (settings)
        ctx.out.write(
          `${dryRun ? 'would change' : 'changed'} settings: ${Object.keys(settings).join(', ')}\n`,
        );
      const n = dryRun ? plan.create.length : created.length;
      ctx.out.write(
        `${dryRun ? 'dry run: would create' : 'created'} ${n} schedule(s); ${plan.duplicates.length} already present; ${skipped.length} line(s) skipped\n`,
      );
    }
    if (refused)
      throw new CliError(
        `--strict: ${skipped.length} line(s) would be skipped, so nothing was imported`,
      );
    return 0;
  },
};

function write(ctx: Context, output: string | undefined, text: string) {
  if (output === undefined || output === '-') ctx.out.write(text);
  else writePrivateAtomic(resolve(output), text); // commands and env may hold secrets: 0600
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'export schedules and settings (JSON), or as a crontab or systemd units',
  help: `Usage: cmdop-scheduler export [-o FILE] [--format json|crontab|systemd]

  --format json      every schedule and the settings (never a token), re-importable (default)
  --format crontab   a user crontab; what cron cannot express is reported on stderr
  --format systemd   a .service and a .timer per schedule; -o names a folder to write them to
  -o, --output PATH  a file (folder for systemd); default standard output. Files are 0600.
`,
  options: { output: { type: 'string', short: 'o' }, format: { type: 'string' } },
  async run(ctx) {
    const format = str(ctx, 'format') ?? 'json';
    if (!['json', 'crontab', 'systemd'].includes(format)) {
      throw usageError(`--format must be json, crontab or systemd, got '${format}'`);
    }
    const client = ctx.client();
    const schedules = await client.listAll(client.target.local ? { machine_id: 'local' } : {});
    const output = str(ctx, 'output');
    if (format === 'json') {
      const settings = client.target.local ? await client.getSettings() : null;
      write(ctx, output, json(buildExport(schedules, settings, ctx.now())));
      return 0;
    }
    const result =
      format === 'crontab'
        ? formatCrontab(schedules, [
            `Exported from Cmdop Scheduler on ${new Date(ctx.now()).toISOString()}`,
          ])
        : null;
    const reports = result?.reports ?? [];
    if (result) write(ctx, output, result.text);
    else {
      const units = formatSystemdUnits(schedules);
      reports.push(...units.reports);
      if (output === undefined || output === '-') {
        for (const f of units.files) ctx.out.write(`# ==> ${f.name} <==\n${f.content}\n`);
      } else {
        mkdirPrivate(resolve(output));
        for (const f of units.files) writePrivateAtomic(join(resolve(output), f.name), f.content);
        ctx.err.write(`wrote ${units.files.length} unit files to ${resolve(output)}\n`);
      }
    }
    for (const r of reports) ctx.err.write(`${r.name}: ${r.message}\n`);
    return 0;
  },
};
