// @ts-nocheck
// 
// One HTTP attempt of an alert, with Node's built-in fetch (undici): no dependency. What
// comes back is an outcome, never a throw, with the reason in words and the URL scrubbed
// out of it: the URL is a secret and the outcome is logged and stored.
import { scrubUrls } from '../../shared/alert-url';
import { clip } from '../../shared/notice-text';

export const SEND_TIMEOUT_MS = 10_000;
/** Enough of a refusal to read it ("invalid_token", "no_service"); the rest is dropped. */
const BODY_SHOWN = 200;

export interface AlertRequest {
  method: 'GET' | 'POST';
  url: string;
  /** POST: a JSON text. */
  body?: string;
}

export interface AttemptResult {
  ok: boolean;
  status_code: number | null;
  error: string | null;
  /** Worth trying again: no answer, a timeout, 5xx, 408 or 429. */
  retryable: boolean;
  /** A Retry-After in seconds: how long the receiver asked us to wait (ms). */
  retryAfterMs?: number;
  /** A Retry-After as a date: when the receiver asked us to come back (epoch ms). */
  retryAtMs?: number;
}

/** At most `max` characters of a response body, without reading the rest of it. */
async function readSome(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < max) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
  return text;
}

function describeFailure(e: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs / 1000} s`;
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'AbortError') return 'cancelled: the app is stopping';
  const cause = err?.cause;
  if (cause?.code) return `${cause.code}: ${cause.message ?? err.message}`;
  return cause?.message ?? err?.message ?? String(e);
}

/** Retry-After, as seconds or as a date; the queue, which has the clock, makes it a wait. */
function retryAfter(res: Response): Pick<AttemptResult, 'retryAfterMs' | 'retryAtMs'> {
  const raw = res.headers.get('retry-after');
  if (raw === null || raw.trim() === '') return {};
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return { retryAfterMs: seconds * 1000 };
  const at = Date.parse(raw);
  return Number.isNaN(at) ? {} : { retryAtMs: at };
}

/**
 * One attempt. Redirects are not followed: an https hook that answers with a redirect to
 * plain http would otherwise carry the run's output in clear text past the http rule.
 */
export async function sendOnce(
  request: AlertRequest,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<AttemptResult> {
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  const controller = new AbortController();
  let timedOut = false;
  // Real time on purpose: a receiver's silence is a real-world delay, whatever clock the
  // engine runs on.
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  const scrub = (text: string) => clip(scrubUrls(text, [request.url]), 300);
  try {
    const res = await fetch(request.url, {
      method: request.method,
      headers: {
        'user-agent': 'Cmdop-Scheduler',
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: request.body,
      redirect: 'manual',
      signal: controller.signal,
    });
    const status = res.status;
    if (status >= 200 && status < 300) {
      void res.body?.cancel().catch(() => {});
      return { ok: true, status_code: status, error: null, retryable: false };
    }
    const said = (await readSome(res, BODY_SHOWN)).replace(/\s+/g, ' ').trim();
    const why =
      status >= 300 && status < 400
        ? 'a redirect, which alerts do not follow: use the address it points to'
        : said.slice(0, BODY_SHOWN);
    return {
      ok: false,
      status_code: status,
      error: scrub(`HTTP ${status}${why ? `: ${why}` : ''}`),
      retryable: status >= 500 || status === 408 || status === 429,
      ...retryAfter(res),
    };
  } catch (e) {
    return {
      ok: false,
      status_code: null,
      error: scrub(describeFailure(e, timedOut, timeoutMs)),
      retryable: !options.signal?.aborted,
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
  }
}
