// @ts-nocheck
// 
// What a browser shows without a usable token: where the token is, how to open the link,
// and a field to paste either — not a wall of 401s or a dead-end "Invalid token".
import { useState, type FormEvent } from 'react';
import { storeToken } from '../api/token';

/** The token in a pasted link (`…/#token=abc`) or the pasted token itself. */
export function tokenFromPaste(text: string): string | null {
  const trimmed = text.trim();
  const inLink = /[#&]token=([^&\s]+)/.exec(trimmed);
  if (inLink?.[1]) {
    try {
      return decodeURIComponent(inLink[1]);
    } catch {
      return null;
    }
  }
  return trimmed !== '' && !/\s/.test(trimmed) ? trimmed : null;
}

export function TokenPage({ reason }: { reason: 'missing' | 'wrong' }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const origin = window.location.origin;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const token = tokenFromPaste(text);
    if (!token) {
      setProblem('Paste the whole link, or the token alone (one word, no spaces).');
      return;
    }
    storeToken(token);
    window.location.hash = '#/home';
    window.location.reload();
  };

  return (
    <main className="token-page" id="main-content" tabIndex={-1}>
      <h1>Cmdop Scheduler</h1>
      {reason === 'wrong' ? (
        <p role="alert">
          The scheduler at <code>{origin}</code> did not accept the token this tab has. It may have
          been rotated in Settings, or the server was started with another one.
        </p>
      ) : (
        <p>This page needs the API token of the scheduler that serves it.</p>
      )}
      <h2>Where to find it</h2>
      <ul>
        <li>
          <code>cmdop-scheduler serve</code> prints a link when it starts, on the line{' '}
          <code>open the UI: {origin}/#token=…</code>. Open that link: it logs this tab in.
        </li>
        <li>
          The token is also in the file <code>api-token</code> in the data directory{' '}
          <code>serve</code> prints (by default <code>~/.config/Cmdop Scheduler</code> on Linux,{' '}
          <code>~/Library/Application Support/Cmdop Scheduler</code> on macOS,{' '}
          <code>%APPDATA%\Cmdop Scheduler</code> on Windows).
        </li>
        <li>
          When <code>serve</code> runs with <code>CMDOP_SCHEDULER_TOKEN</code> set, the token is
          that variable&apos;s value.
        </li>
        <li>
          In the tray app: Settings → Local API shows the token, with <strong>Show token</strong>.
        </li>
      </ul>
      <form onSubmit={submit} className="token-form">
        <label htmlFor="token-paste">Paste the link or the token</label>
        <div>
          <input
            id="token-paste"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={text}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'token-problem' : undefined}
            onChange={(e) => {
              setText(e.target.value);
              setProblem(null);
            }}
          />
          <button type="submit" className="primary">
            Open
          </button>
        </div>
        {problem && (
          <p id="token-problem" className="editor-error">
            {problem}
          </p>
        )}
      </form>
      <p className="muted">The token stays in this tab only and is removed from the address bar.</p>
    </main>
  );
}
