// @ts-nocheck
// 
// Settings: notifications, pause, history retention, the local API and its token, and the
// Cmdop connection.
import { BackupsSettings } from './BackupsSettings';
import { useState } from 'react';
import { ApiError } from '../../../shared/errors';
import { storeToken } from '../api/token';
import { Switch } from '../components/Switch';
import { useTitle } from '../components/useTitle';
import { formatLocal } from '../components/format';
import { useApp, useAppContext } from '../store/context';
import { RemoteSettings } from './RemoteSettings';
import './settings.css';

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

/** Tomorrow 09:00 in this browser's zone: the tray's "until tomorrow" too. */
function tomorrowAt9(): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  d.setHours(9, 0, 0, 0);
  return d.toISOString();
}

function TokenField(props: { token: string | null; canRotate: boolean }) {
  const { transport } = useAppContext();
  const rotateToken = useApp((s) => s.rotateToken);
  const ask = useApp((s) => s.ask);
  const showToast = useApp((s) => s.showToast);
  const [shown, setShown] = useState(false);
  const token = props.token;
  if (!token) return <p className="muted">The local API is off.</p>;

  return (
    <div className="token-row">
      <code className="token" aria-label="API token">
        {shown ? token : '•'.repeat(24)}
      </code>
      <button onClick={() => setShown(!shown)}>{shown ? 'Hide token' : 'Show token'}</button>
      <button
        onClick={() =>
          navigator.clipboard?.writeText(token).then(
            () => showToast('info', 'Token copied'),
            () => showToast('error', 'Copying is not allowed here; select the token instead'),
          )
        }
      >
        Copy token
      </button>
      <button
        className="danger"
        disabled={!props.canRotate}
        title={props.canRotate ? undefined : 'The token comes from CMDOP_SCHEDULER_TOKEN'}
        onClick={() =>
          ask({
            title: 'Rotate the API token?',
            message:
              'Scripts and browsers using the current token stop working at once and need the new one.',
            confirmLabel: 'Rotate token',
            onConfirm: async () => {
              const fresh = await rotateToken();
              // This browser keeps working: it switches to the new token itself.
              if (fresh && transport === 'http') storeToken(fresh);
              if (fresh) showToast('info', 'A new token is in use');
            },
          })
        }
      >
        Rotate token
      </button>
    </div>
  );
}

function RetentionForm(props: { maxRuns: number; maxAgeDays: number }) {
  const updateSettings = useApp((s) => s.updateSettings);
  const showToast = useApp((s) => s.showToast);
  const [runs, setRuns] = useState(String(props.maxRuns));
  const [days, setDays] = useState(String(props.maxAgeDays));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const dirty = runs !== String(props.maxRuns) || days !== String(props.maxAgeDays);

  const save = async () => {
    setErrors({});
    try {
      await updateSettings({ history: { max_runs: Number(runs), max_age_days: Number(days) } });
      showToast('info', 'History retention saved');
    } catch (e) {
      if (e instanceof ApiError && e.details.fields) setErrors(e.details.fields);
    }
  };

  return (
    <form
      className="retention"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        Keep runs per schedule
        <input
          type="number"
          min={1}
          value={runs}
          onChange={(e) => setRuns(e.target.value)}
          aria-invalid={errors['history.max_runs'] ? true : undefined}
        />
        {errors['history.max_runs'] && (
          <span className="field-error">{errors['history.max_runs']}</span>
        )}
      </label>
      <label>
        Keep days
        <input
          type="number"
          min={1}
          value={days}
          onChange={(e) => setDays(e.target.value)}
          aria-invalid={errors['history.max_age_days'] ? true : undefined}
        />
        {errors['history.max_age_days'] && (
          <span className="field-error">{errors['history.max_age_days']}</span>
        )}
      </label>
      <button type="submit" disabled={!dirty}>
        Save retention
      </button>
    </form>
  );
}

/** One on/off setting: the switch, what it does, and a line on what that means. */
function SettingSwitch(props: {
  checked: boolean;
  label: string;
  title?: string;
  hint: string;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="setting">
      <Switch checked={props.checked} label={props.label} onChange={props.onChange} />
      <div>
        <div>{props.title ?? props.label}</div>
        <div className="muted small">{props.hint}</div>
      </div>
    </div>
  );
}

export function SettingsView() {
  useTitle('Settings');
  const settings = useApp((s) => s.settings);
  const updateSettings = useApp((s) => s.updateSettings);
  if (!settings) return null;
  const headless = settings.server.mode === 'headless';
  const update = (patch: Parameters<typeof updateSettings>[0]) =>
    void updateSettings(patch).catch(() => {});

  return (
    <section className="settings" aria-labelledby="settings-heading">
      <h1 id="settings-heading">Settings</h1>

      <fieldset>
        <legend>Notifications</legend>
        <SettingSwitch
          checked={settings.notifications.muted}
          label="Mute notifications"
          hint="Runs are still recorded; no desktop notification is shown."
          onChange={(muted) => update({ notifications: { muted } })}
        />
      </fieldset>

      {settings.start_at_login !== null && (
        <fieldset>
          <legend>Desktop</legend>
          <SettingSwitch
            checked={settings.start_at_login}
            label="Start at login"
            hint="Cmdop Scheduler starts in the tray when you log in."
            onChange={(start_at_login) => update({ start_at_login })}
          />
        </fieldset>
      )}

      <fieldset>
        <legend>Schedules</legend>
        <SettingSwitch
          checked={settings.paused}
          label="Pause all schedules"
          hint={
            settings.paused && settings.paused_until
              ? `Paused until ${formatLocal(settings.paused_until)}, then schedules run again by themselves; Run now still works.`
              : 'Nothing fires on its own; Run now still works.'
          }
          onChange={(paused) => update({ paused })}
        />
        {!settings.paused && (
          <p className="small">
            Or pause for a while:{' '}
            <button type="button" onClick={() => update({ paused_until: inHours(1) })}>
              1 hour
            </button>{' '}
            <button type="button" onClick={() => update({ paused_until: tomorrowAt9() })}>
              Until tomorrow 09:00
            </button>
          </p>
        )}
      </fieldset>

      <fieldset>
        <legend>History</legend>
        <p className="muted small">
          Older runs are removed per schedule when either limit is reached.
        </p>
        <RetentionForm
          key={`${settings.history.max_runs}/${settings.history.max_age_days}`}
          maxRuns={settings.history.max_runs}
          maxAgeDays={settings.history.max_age_days}
        />
      </fieldset>

      <fieldset>
        <legend>Local API</legend>
        {headless ? (
          <p className="muted small">
            This headless server answers at <code>{settings.server.url}</code>; its address and port
            are set with <code>cmdop-scheduler serve --host … --port …</code>.
          </p>
        ) : (
          <SettingSwitch
            checked={settings.local_api.enabled}
            label="Local API"
            title={`Serve the API on 127.0.0.1:${settings.local_api.port}`}
            hint="For curl and scripts; loopback only, token required."
            onChange={(enabled) => update({ local_api: { enabled } })}
          />
        )}
        <TokenField
          token={settings.server.token}
          canRotate={settings.server.token_source !== 'env'}
        />
      </fieldset>

      <fieldset>
        <legend>Cmdop connection</legend>
        <RemoteSettings />
      </fieldset>
      <BackupsSettings />
    </section>
  );
}
