// @ts-nocheck
// 
// "Test connection": which Cmdop API a URL and token reach. Cmdop's cloud lives at
// https://api.cmdop.com/v1 (announced, not yet open to all); a self-hosted Cmdop at
// https://HOST/api/v1. A bare address is tried at both paths. `auth/me` answers who the token
// is, so it tells a Cmdop API that knows the token from one that does not, and from a page
// that is no API at all.
import { ApiError } from '../shared/errors';
import type { Identity } from '../shared/identity';
import type { RemoteTestResult } from '../shared/settings';
import type { RemoteService } from './remote';

type Kind = NonNullable<RemoteTestResult['kind']>;

/** The base URLs to try for what the user typed: as is, or under a bare address. */
export function candidateUrls(input: string): string[] {
  const url = new URL(input);
  const base = url.href.replace(/\/+$/, '');
  if (url.pathname === '/' || url.pathname === '') return [`${base}/api/v1`, `${base}/v1`];
  return [base];
}

export function kindOf(url: string, identity: Identity | null): Kind {
  if (identity?.id === 'local' && identity.plan === 'local') return 'cmdop-scheduler';
  const { hostname, pathname } = new URL(url);
  if (hostname === 'cmdop.com' || hostname.endsWith('.cmdop.com')) return 'cloud';
  if (identity !== null || /\/api\/v1\/?$/.test(pathname)) return 'self-hosted';
  return 'unknown';
}

const WORDS: Record<Kind, string> = {
  cloud: "Cmdop's cloud",
  'self-hosted': 'a self-hosted Cmdop',
  'cmdop-scheduler': 'another Cmdop Scheduler',
  unknown: 'a Cmdop-compatible API',
};

/** Whether the answer says "nothing of that API here" (try the next path) rather than "no". */
function notThere(e: unknown): boolean {
  if (!(e instanceof ApiError)) return false;
  return (
    e.status === 404 ||
    e.status === 405 ||
    /not JSON|envelope|without an error body/.test(e.message)
  );
}

export async function probeRemote(
  input: string,
  make: (url: string) => RemoteService,
): Promise<RemoteTestResult> {
  let last: unknown = null;
  for (const url of candidateUrls(input)) {
    const client = make(url);
    let identity: Identity | null = null;
    try {
      identity = await client.whoami();
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'unauthorized' || e.code === 'forbidden')) {
        const kind = kindOf(url, null);
        return {
          ok: false,
          message: `${WORDS[kind]} at ${url} refused the token: ${e.message}`,
          kind,
          url,
        };
      }
      if (!notThere(e)) return { ok: false, message: (e as Error).message };
      // An API without auth/me (an older Cmdop-compatible server) may still list machines.
    }
    try {
      const n = (await client.listMachines({ limit: 1 })).meta.total;
      const kind = kindOf(url, identity);
      const who = identity?.email ? ` as ${identity.email}` : '';
      return {
        ok: true,
        message: `Connected to ${WORDS[kind]} at ${url}${who}: ${n} machine${n === 1 ? '' : 's'}`,
        machines: n,
        kind,
        url,
      };
    } catch (e) {
      last = e;
      if (!notThere(e)) return { ok: false, message: (e as Error).message };
    }
  }
  const reason = last instanceof Error ? ` (${last.message})` : '';
  return {
    ok: false,
    message: `No Cmdop API answered at ${candidateUrls(input).join(' or ')}${reason}`,
  };
}
