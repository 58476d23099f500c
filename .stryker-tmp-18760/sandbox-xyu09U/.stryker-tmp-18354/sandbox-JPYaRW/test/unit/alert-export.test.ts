// @ts-nocheck
// 
// Alerts through import and export: the JSON export carries them and a real server takes
// them back exactly (an export of the imported copy is the same), and crontab and systemd
// exports name what they cannot send, without printing the secret URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCrontab, type CrontabSchedule } from '../../src/shared/crontab-export';
import { buildExport, parseExport } from '../../src/shared/export-format';
import { formatSystemdUnits } from '../../src/shared/systemd';
import type { Schedule } from '../../src/shared/types';
import { removeDir, startTestServer, type TestServer } from '../helpers/server';

const ALERTS = {
  on_success: true,
  on_failure: true,
  webhook_url: 'https://hooks.slack.com/services/T0/B0/secret',
  webhook_format: 'slack' as const,
  ping_url: 'http://10.0.0.7:8000/ping/uuid-secret',
  allow_http: true,
};

const base: CrontabSchedule = {
  name: 'Backup',
  description: '',
  command: 'backup.sh',
  cron: '0 3 * * *',
  enabled: true,
  timezone: 'UTC',
  env: {},
  cwd: null,
  timeout: null,
  catch_up: false,
};

let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  [a, b] = await Promise.all([startTestServer(), startTestServer()]);
});
afterAll(async () => {
  for (const s of [a, b]) {
    await s.stop();
    removeDir(s.dataDir);
  }
});

describe('JSON export', () => {
  it('carries the alerts, and another machine takes them back exactly', async () => {
    const made = await a.call('POST', '/v1/schedules', {
      ...base,
      machine_id: 'local',
      notify: ALERTS,
    });
    expect(made.status).toBe(201);
    const plain = await a.call('POST', '/v1/schedules', {
      ...base,
      name: 'Plain',
      machine_id: 'local',
    });
    const all = (await a.call('GET', '/v1/schedules')).json.data as Schedule[];
    const file = buildExport(all, null, 0);
    expect(file.version).toBe(3);
    expect(file.schedules.find((s) => s.name === 'Backup')?.notify).toEqual(ALERTS);
    // Without alerts, notify is Cmdop's own, as in version 2 files.
    expect(file.schedules.find((s) => s.id === plain.json.data.id)?.notify).toEqual({
      on_success: false,
      on_failure: true,
    });

    const { items } = parseExport(JSON.parse(JSON.stringify(file)));
    const imported = await b.call('POST', '/v1/schedules/batch', { items });
    expect(imported.status).toBe(201);
    const again = buildExport((await b.call('GET', '/v1/schedules')).json.data, null, 0);
    expect(again.schedules).toEqual(file.schedules);
  });
});

describe('crontab and systemd', () => {
  it('report the webhook and the ping they cannot send, with the URLs redacted', () => {
    const s = { ...base, notify: ALERTS };
    const cron = formatCrontab([s]);
    const units = formatSystemdUnits([{ ...s, overlap: 'skip' }]);
    for (const { reports, text } of [
      cron,
      { reports: units.reports, text: units.files.map((f) => f.content).join('') },
    ]) {
      const messages = reports.map((r) => r.message);
      expect(messages).toContain(
        'webhook https://hooks.slack.com/…: not sent; cron and systemd have no webhooks',
      );
      expect(messages.some((m) => m.startsWith('ping http://10.0.0.7:8000/…: not sent'))).toBe(
        true,
      );
      expect(JSON.stringify(reports)).not.toContain('secret');
      expect(text).not.toContain('secret');
    }
    expect(formatCrontab([base]).reports).toEqual([]);
  });
});
