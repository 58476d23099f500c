// @ts-nocheck
// 
// The alerts section of the schedule editor: a webhook (and its format), a health-check
// ping URL, the plain-http opt-in, and "Send test", which tries the values as typed — saved
// or not — and says what each receiver answered. Its form state is alert-form.ts.
import { useState, type JSX } from 'react';
import type { NotifyTestResult } from '../../../../shared/alerts-api';
import type { Notify, WebhookFormat } from '../../../../shared/types';
import {
  ALERT_LABELS,
  alertNotify,
  describeTest,
  hasChannels,
  type AlertField,
  type AlertForm,
} from './alert-form';
import { Check, Field } from './fields';
import { controlId } from './form';
import { readError } from './form';

export interface AlertFieldsProps {
  form: AlertForm;
  onChange(form: AlertForm, field: AlertField): void;
  onBlur(field: AlertField): void;
  errorFor(field: AlertField): string | undefined;
  /** Sends a sample with these settings; absent where it cannot (a schedule not saved yet). */
  onTest?(notify: Partial<Notify>): Promise<NotifyTestResult>;
  /** Why there is no test here, when there is none. */
  testUnavailable?: string;
}

const HINTS = {
  webhook_url:
    'A POST for each run the notify switches allow, and when a run goes on far longer than usual. The address is kept secret: logs show only its host.',
  ping_url:
    'For health checks such as healthchecks.io: URL/start when a run starts, URL on success, URL/fail on failure — so the monitor notices when nothing runs at all.',
};

export function AlertFields(props: AlertFieldsProps): JSX.Element {
  const { form, onChange, onBlur, errorFor, onTest } = props;
  const [test, setTest] = useState<{ busy: boolean; text: string | null; ok: boolean }>({
    busy: false,
    text: null,
    ok: true,
  });
  const set = <K extends keyof AlertForm>(key: K, value: AlertForm[K], field: AlertField) => {
    onChange({ ...form, [key]: value }, field);
    setTest((t) => (t.text ? { ...t, text: null } : t));
  };
  const bad = (['webhook_url', 'ping_url'] as const).some((f) => errorFor(f));
  const sendTest = async () => {
    if (!onTest) return;
    setTest({ busy: true, text: 'Sending a test…', ok: true });
    try {
      const result = await onTest(alertNotify({ ...form, had: true }));
      setTest({ busy: false, text: describeTest(result), ok: result.ok });
    } catch (e) {
      setTest({
        busy: false,
        text: `The test could not be sent: ${readError(e).message}`,
        ok: false,
      });
    }
  };
  const url = (
    key: 'webhookUrl' | 'pingUrl',
    field: 'webhook_url' | 'ping_url',
    example: string,
  ) => (
    <Field
      field={field}
      label={ALERT_LABELS[field]}
      error={errorFor(field)}
      hint={HINTS[field]}
      className="wide"
    >
      {(c) => (
        <input
          {...c}
          className="mono"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder={`none, e.g. ${example}`}
          value={form[key]}
          onChange={(e) => set(key, e.target.value, field)}
          onBlur={() => onBlur(field)}
        />
      )}
    </Field>
  );
  return (
    <>
      {url('webhookUrl', 'webhook_url', 'https://hooks.slack.com/services/…')}
      <Field
        field="webhook_format"
        label={ALERT_LABELS.webhook_format}
        error={errorFor('webhook_format')}
      >
        {(c) => (
          <select
            {...c}
            value={form.webhookFormat}
            onChange={(e) =>
              set('webhookFormat', e.target.value as WebhookFormat, 'webhook_format')
            }
          >
            <option value="json">JSON</option>
            <option value="slack">Slack or Mattermost</option>
            <option value="discord">Discord</option>
          </select>
        )}
      </Field>
      <div className="editor-field">
        <Check
          id={controlId('allow_http')}
          label="Allow plain http to other machines"
          hint="Sends the address and the output unencrypted; this machine is always allowed."
          checked={form.allowHttp}
          onChange={(on) => set('allowHttp', on, 'allow_http')}
          error={errorFor('allow_http')}
          errorField="allow_http"
        />
      </div>
      {url('pingUrl', 'ping_url', 'https://hc-ping.com/your-uuid')}
      <div className="editor-field wide editor-test">
        <div className="editor-test-row">
          <button
            type="button"
            onClick={() => void sendTest()}
            disabled={!onTest || !hasChannels(form) || bad || test.busy}
            aria-describedby={`${controlId('webhook_url')}-test`}
          >
            Send test
          </button>
          <p
            id={`${controlId('webhook_url')}-test`}
            className={`editor-hint ${test.text && !test.ok ? 'editor-error' : 'muted'}`}
            role="status"
          >
            {test.text ??
              (!onTest
                ? (props.testUnavailable ?? 'A test can be sent once the schedule is saved.')
                : hasChannels(form)
                  ? 'Sends a sample to the webhook and to the ping URL (its /log) as typed here.'
                  : 'Set a webhook or ping URL to send a test.')}
          </p>
        </div>
      </div>
    </>
  );
}
