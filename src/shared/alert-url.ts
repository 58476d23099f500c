// The URLs alerts go to (notify.webhook_url, notify.ping_url): what is accepted, how they
// are written in logs and records, and the healthchecks.io-style ping addresses. Pure, so
// the server, the editor and the CLI judge a URL the same way.
//
// A webhook or ping URL is a secret: whoever has a Slack/Discord/Mattermost hook or a
// healthchecks UUID can post to it. Logs, delivery records, exports' reports and errors
// only ever show `scheme://host[:port]/…`: the host says which service it is, which is
// what a person debugging needs, and nothing that opens the door is kept.

export const ALERT_URL_MAX = 2048;

/** This machine: plain http there never crosses a network. */
export function isLoopbackHost(hostname: string): boolean {
  // Stryker disable next-line Regex: a URL's hostname has brackets only around all of an IPv6
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(?:\.\d{1,3}){3}$/.test(host)
  );
}

function parse(raw: string): URL | null {
  return URL.canParse(raw) ? new URL(raw) : null;
}

/** Why `raw` cannot be an alert URL (syntax and scheme), or null. */
export function alertUrlProblem(raw: string): string | null {
  if (/\s/.test(raw)) return 'must be a URL without spaces';
  const url = parse(raw);
  // An http(s) URL always has a host: new URL refuses one without.
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return 'must be an http:// or https:// URL such as https://hooks.slack.com/services/…';
  }
  return null;
}

/**
 * Plain http outside this machine sends the secret URL and the run's output in clear text:
 * only with `notify.allow_http`. Null when fine (or when the URL is unusable anyway: that has
 * its own message).
 */
export function plainHttpProblem(raw: string, allowHttp: boolean): string | null {
  const url = parse(raw);
  if (!url || url.protocol !== 'http:' || allowHttp || isLoopbackHost(url.hostname)) return null;
  return (
    'plain http is only sent to this machine (localhost, 127.0.0.1, ::1); use https, ' +
    'or set notify.allow_http to true to send it unencrypted'
  );
}

/** `https://hooks.slack.com/…`: what logs and records show of a secret URL. */
export function redactUrl(raw: string): string {
  const url = parse(raw);
  if (!url) return '(an unusable URL)';
  const rest = url.pathname !== '/' || url.search !== '' || url.hash !== '' ? '/…' : '/';
  return `${url.protocol}//${url.host}${rest}`;
}

/**
 * Removes every secret URL (and its path and query on their own, which error messages
 * sometimes quote) from a text that is about to be logged or stored.
 */
export function scrubUrls(text: string, urls: readonly string[]): string {
  let out = text;
  for (const raw of urls) {
    const url = parse(raw);
    if (!url) continue;
    const shown = redactUrl(raw);
    const parts = [raw, url.href, `${url.pathname}${url.search}`].filter((p) => p.length > 1);
    for (const part of parts.sort((a, b) => b.length - a.length)) {
      out = out.split(part).join(part === raw || part === url.href ? shown : '/…');
    }
  }
  return out;
}

export type PingKind = 'start' | 'success' | 'fail' | 'log';

/**
 * The healthchecks.io convention: `<url>/start`, `<url>` on success, `<url>/fail` (or
 * `<url>/<exit code>` where the service reads it), `<url>/log` for an entry that changes
 * nothing. The suffix goes before the query string, which some services use.
 */
export function pingUrl(base: string, kind: PingKind, exitCode: number | null = null): string {
  const url = new URL(base);
  // An empty path is written back as `/`.
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${pingSuffix(kind, exitCode)}`;
  return url.href;
}

/** `/start`, `` (success), `/fail` or `/<exit code>`, `/log`. */
export function pingSuffix(kind: PingKind, exitCode: number | null = null): string {
  if (kind === 'success') return '';
  const code = exitCode ?? 0;
  if (kind === 'fail' && code > 0 && code <= 255) return `/${code}`;
  return `/${kind}`;
}

/** A ping as logs and records show it: `https://hc-ping.com/…/start`. */
export function redactPing(base: string, kind: PingKind, exitCode: number | null = null): string {
  return `${redactUrl(base).replace(/\/$/, '')}${pingSuffix(kind, exitCode)}`;
}

/**
 * Whether the ping service reads `/<exit code>`: healthchecks.io (hc-ping.com) and
 * self-hosted Healthchecks (its ping URLs live under `/ping/`). Others get `/fail`, which
 * every service of the convention knows.
 */
export function readsExitCodes(base: string): boolean {
  const url = parse(base);
  if (!url) return false;
  const host = url.hostname.toLowerCase();
  return (
    host === 'hc-ping.com' ||
    host.endsWith('.hc-ping.com') ||
    host === 'healthchecks.io' ||
    host.endsWith('.healthchecks.io') ||
    url.pathname.startsWith('/ping/')
  );
}
