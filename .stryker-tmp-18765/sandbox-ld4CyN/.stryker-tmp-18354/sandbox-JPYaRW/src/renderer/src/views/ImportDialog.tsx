// @ts-nocheck
// 
// Import… : paste or choose a crontab (or a JSON export), see exactly what will be created,
// what is already there and which lines are skipped and why, then import in batches. The
// preview is the same pure code the CLI's `import --dry-run` runs.
import { useEffect, useMemo, useRef, useState } from 'react';
import { BATCH_MAX } from '../../../shared/batch';
import { parseCrontab, type LineReport } from '../../../shared/crontab-import';
import { ApiError } from '../../../shared/errors';
import { isExportFile, parseExport } from '../../../shared/export-format';
import { planImport, type ImportPlan } from '../../../shared/import-plan';
import type { Schedule } from '../../../shared/types';
import { TimeZonePicker } from '../components/TimeZonePicker';
import { useApp, useAppContext } from '../store/context';
import { scheduleList } from '../store/select';
import '../components/dialog.css';
import './import.css';

interface Preview {
  plan: ImportPlan;
  reports: LineReport[];
  hasSettings: boolean;
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function buildPreview(
  text: string,
  options: { system: boolean; timezone: string },
  existing: Schedule[],
): Preview | { error: string } {
  const json = readJson(text);
  try {
    if (isExportFile(json)) {
      const parsed = parseExport(json);
      const items = parsed.items.map((item, i) => ({ source: `#${i + 1}`, item }));
      return {
        plan: planImport(items, existing),
        reports: [],
        hasSettings: parsed.settings !== null,
      };
    }
  } catch (e) {
    if (e instanceof ApiError) {
      const fields = Object.entries(e.details.fields ?? {}).map(([f, why]) => `${f}: ${why}`);
      return { error: `This export file cannot be imported. ${fields.join('; ')}` };
    }
    throw e;
  }
  const parsed = parseCrontab(text, options);
  const items = parsed.entries.map((e) => ({ source: `line ${e.line}`, item: e.schedule }));
  return { plan: planImport(items, existing), reports: parsed.reports, hasSettings: false };
}

export function ImportDialog(props: { onClose: () => void }) {
  const { api } = useAppContext();
  const schedules = useApp((s) => s.schedules);
  const machines = useApp((s) => s.machines);
  const [text, setText] = useState('');
  const [system, setSystem] = useState(false);
  const [timezone, setTimezone] = useState(
    () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  );
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    textRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !busy) props.onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, props]);

  // Duplicates are judged against this machine's schedules, as the CLI does.
  const here = machines[0]?.id;
  const local = useMemo(
    () => scheduleList(schedules.byId, schedules.order).filter((s) => s.machine_id === here),
    [schedules, here],
  );
  const preview = useMemo(
    () => (text.trim() === '' ? null : buildPreview(text, { system, timezone }, local)),
    [text, system, timezone, local],
  );
  const plan = preview && 'plan' in preview ? preview : null;
  const count = plan?.plan.create.length ?? 0;

  const onImport = async () => {
    if (!plan) return;
    setBusy(true);
    setFailure(null);
    try {
      const items = plan.plan.create.map((p) => p.item);
      let created = 0;
      for (let i = 0; i < items.length; i += BATCH_MAX) {
        created += (await api.createBatch({ items: items.slice(i, i + BATCH_MAX) })).length;
      }
      setDone(`Imported ${created} schedule${created === 1 ? '' : 's'}.`);
      setText('');
    } catch (e) {
      setFailure((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="backdrop">
      <div className="dialog import" role="dialog" aria-modal="true" aria-labelledby="import-title">
        <h2 id="import-title">Import schedules</h2>
        <p className="muted">
          Paste your crontab (<code>crontab -l</code>), a system crontab such as{' '}
          <code>/etc/crontab</code>, or a file exported from Cmdop Scheduler. Nothing is created
          until you press Import.
        </p>
        <label className="import-file">
          Choose a file…{' '}
          <input
            type="file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void file.text().then(setText);
            }}
          />
        </label>
        <textarea
          ref={textRef}
          aria-label="Crontab or export file"
          rows={8}
          spellCheck={false}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setDone(null);
          }}
        />
        <div className="import-options">
          <label>
            <input type="checkbox" checked={system} onChange={(e) => setSystem(e.target.checked)} />{' '}
            System crontab (a user column, as in /etc/crontab)
          </label>
          <label>
            Time zone of lines without CRON_TZ{' '}
            <TimeZonePicker
              value={timezone}
              onChange={setTimezone}
              aria-label="Time zone of lines without CRON_TZ"
            />
          </label>
        </div>
        {done && (
          <p role="status" className="import-done">
            {done}
          </p>
        )}
        {preview && 'error' in preview && <p role="alert">{preview.error}</p>}
        {failure && <p role="alert">{failure}</p>}
        {plan && (
          <div className="import-preview" aria-label="Preview">
            <p>
              {count} to create · {plan.plan.duplicates.length} already present ·{' '}
              {plan.reports.filter((r) => r.level === 'skipped').length} skipped
              {plan.hasSettings && ' · the settings in this file are applied by the CLI only'}
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col">Name</th>
                  <th scope="col">Schedule</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {plan.plan.create.map((p) => (
                  <tr key={p.source}>
                    <td>{p.source}</td>
                    <td>{String(p.item.name)}</td>
                    <td>
                      <code>{String(p.item.cron)}</code> {String(p.item.timezone ?? 'UTC')}
                    </td>
                    <td>will be created</td>
                  </tr>
                ))}
                {plan.plan.duplicates.map((d) => (
                  <tr key={d.source} className="muted">
                    <td>{d.source}</td>
                    <td>{String(d.item.name)}</td>
                    <td>
                      <code>{String(d.item.cron)}</code>
                    </td>
                    <td>already present ({d.of})</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {plan.reports.length > 0 && (
              <ul className="import-reports" aria-label="Lines to read">
                {plan.reports.map((r) => (
                  <li key={`${r.line}-${r.message}`} className={r.level}>
                    Line {r.line}, {r.level}: {r.message} <code>{r.text}</code>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="dialog-actions">
          <button onClick={props.onClose} disabled={busy}>
            {done ? 'Close' : 'Cancel'}
          </button>
          <button
            className="primary"
            disabled={busy || count === 0}
            onClick={() => void onImport()}
          >
            {busy ? 'Importing…' : `Import ${count} schedule${count === 1 ? '' : 's'}`}
          </button>
        </div>
      </div>
    </div>
  );
}
