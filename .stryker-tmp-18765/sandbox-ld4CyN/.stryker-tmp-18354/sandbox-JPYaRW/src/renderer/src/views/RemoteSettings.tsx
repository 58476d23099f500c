// @ts-nocheck
// 
// The Cmdop connection: the API URL and token that bring other machines' schedules into the
// list. The token is write-only — settings only say whether one is saved — so its field is
// never filled in from the server; typing one replaces the saved token on Save.
import { useId, useState } from 'react';
import { ApiError } from '../../../shared/errors';
import {
  CMDOP_CLOUD_URL,
  remoteUrlError,
  type RemoteStatus,
  type RemoteTestInput,
  type RemoteTestResult,
} from '../../../shared/settings';
import { useApp, useAppContext } from '../store/context';

const CLI_NOTE = 'Set by --remote-url / CMDOP_API_TOKEN when the server started';

/** The host part of a URL for the status line; the raw text if it does not parse. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function StatusLine(props: { status: RemoteStatus }) {
  const { status } = props;
  return (
    <p className="remote-status">
      <span className={status.connected ? 'remote-connected' : 'muted'}>
        {status.connected && status.url ? `Connected to ${hostOf(status.url)}` : 'Not connected'}
      </span>
      {status.token_set && (
        <span className="muted">
          {status.token_encrypted
            ? ' · token encrypted with the OS keychain'
            : ' · token kept in a file only you can read (no OS keychain in use)'}
        </span>
      )}
      {status.token_unreadable && (
        <span className="remote-unreadable" role="alert">
          {' '}
          {status.token_unreadable}
        </span>
      )}
    </p>
  );
}

export function RemoteSettings() {
  const status = useApp((s) => s.settings?.remote);
  if (!status) return null;
  return <RemoteForm status={status} />;
}

function RemoteForm(props: { status: RemoteStatus }) {
  const { status } = props;
  const { api } = useAppContext();
  const updateSettings = useApp((s) => s.updateSettings);
  const ask = useApp((s) => s.ask);
  const showToast = useApp((s) => s.showToast);
  const id = useId();

  const savedUrl = status.url ?? '';
  const [url, setUrl] = useState(savedUrl);
  const [token, setToken] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<RemoteTestResult | null>(null);

  // The saved URL can change under us (Save here, or another window via settings.updated):
  // follow it, the way the other settings forms follow theirs, instead of showing a stale one.
  const [shownSavedUrl, setShownSavedUrl] = useState(savedUrl);
  if (shownSavedUrl !== savedUrl) {
    setShownSavedUrl(savedUrl);
    setUrl(savedUrl);
  }

  const readOnly = status.source === 'cli';
  const typedUrl = url.trim();
  const typedToken = token.trim();
  // Empty means "no connection", which is always valid; the server's word wins once it speaks.
  const urlError = errors['remote.url'] ?? (typedUrl ? remoteUrlError(typedUrl) : null);
  const tokenError = errors['remote.token'];
  const dirty = typedUrl !== savedUrl || typedToken !== '';
  const canSave = !readOnly && !saving && dirty && !urlError;

  const clearError = (field: string) =>
    setErrors((e) => {
      if (!(field in e)) return e;
      const next = { ...e };
      delete next[field];
      return next;
    });

  const save = async () => {
    setErrors({});
    setSaving(true);
    try {
      await updateSettings({
        // A blank token would be rejected; leaving it out keeps the saved one.
        remote: { url: typedUrl || null, ...(typedToken ? { token: typedToken } : {}) },
      });
      setToken('');
      setResult(null);
      showToast('info', 'Cmdop connection saved');
    } catch (e) {
      // The store already toasted the message; field errors also go under their fields.
      if (e instanceof ApiError && e.details.fields) setErrors(e.details.fields);
    } finally {
      setSaving(false);
    }
  };

  const test = async () => {
    setTesting(true);
    setResult(null);
    const input: RemoteTestInput = {};
    if (typedUrl) input.url = typedUrl;
    if (typedToken) input.token = typedToken;
    try {
      // Nothing typed: test what is saved (the server fills in its own URL and token).
      setResult(await (Object.keys(input).length ? api.testRemote(input) : api.testRemote()));
    } catch (e) {
      setResult({ ok: false, message: e instanceof Error ? e.message : String(e) });
    } finally {
      setTesting(false);
    }
  };

  const disconnect = () =>
    ask({
      title: 'Remove the saved Cmdop API token?',
      message: "Other machines' schedules leave the list until a token is saved again.",
      confirmLabel: 'Disconnect',
      onConfirm: async () => {
        setResult(null);
        // A failure is already a toast from the store; the dialog just closes.
        await updateSettings({ remote: { token: null } }).catch(() => {});
      },
    });

  return (
    <form
      className="remote"
      onSubmit={(e) => {
        e.preventDefault();
        if (canSave) void save();
      }}
    >
      <p className="muted small">
        With a Cmdop API URL and token, other machines&apos; schedules appear beside this
        machine&apos;s in one list. The URL is Cmdop&apos;s cloud ({CMDOP_CLOUD_URL}) or your
        self-hosted server (https://HOST/api/v1); Test connection says which answered.
      </p>
      <StatusLine status={status} />
      {readOnly && <p className="muted small">{CLI_NOTE}</p>}

      <div className="remote-fields">
        {/* The error sits beside the input, not inside the label, so it stays out of the
            field's name and is linked by aria-describedby instead. */}
        <div className="remote-field">
          <label htmlFor={`${id}-url`}>API URL</label>
          <input
            id={`${id}-url`}
            type="url"
            value={url}
            placeholder="https://HOST/api/v1"
            disabled={readOnly}
            spellCheck={false}
            onChange={(e) => {
              setUrl(e.target.value);
              clearError('remote.url');
            }}
            aria-invalid={urlError ? true : undefined}
            aria-describedby={urlError ? `${id}-url-error` : undefined}
          />
          {urlError && (
            <span id={`${id}-url-error`} className="field-error">
              {urlError}
            </span>
          )}
        </div>
        <div className="remote-field">
          <label htmlFor={`${id}-token`}>API token</label>
          <input
            id={`${id}-token`}
            type="password"
            autoComplete="off"
            value={token}
            placeholder={status.token_set ? '•••• saved' : 'Paste your Cmdop API token'}
            disabled={readOnly}
            spellCheck={false}
            onChange={(e) => {
              setToken(e.target.value);
              clearError('remote.token');
            }}
            aria-invalid={tokenError ? true : undefined}
            aria-describedby={tokenError ? `${id}-token-error` : undefined}
          />
          {tokenError && (
            <span id={`${id}-token-error`} className="field-error">
              {tokenError}
            </span>
          )}
        </div>
      </div>

      <div className="remote-actions">
        {/* Testing changes nothing, so it stays available even when the CLI owns the setting. */}
        <button type="button" disabled={testing || Boolean(urlError)} onClick={() => void test()}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        <button
          type="submit"
          className="primary"
          disabled={!canSave}
          title={readOnly ? CLI_NOTE : undefined}
        >
          Save connection
        </button>
        {status.token_set && (
          <button
            type="button"
            className="danger"
            disabled={readOnly}
            title={readOnly ? CLI_NOTE : undefined}
            onClick={disconnect}
          >
            Disconnect
          </button>
        )}
      </div>
      {/* Always mounted so screen readers announce the result when it arrives. */}
      <p
        role="status"
        className={result ? (result.ok ? 'remote-result ok' : 'remote-result failed') : undefined}
      >
        {result?.message}
      </p>
      {result?.ok && result.url && result.url !== typedUrl && !readOnly && (
        // A bare address was probed and the API found under it: take that URL.
        <button type="button" onClick={() => setUrl(result.url ?? '')}>
          Use {result.url}
        </button>
      )}
    </form>
  );
}
