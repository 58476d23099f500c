// notify as stored and sent: only what differs from the defaults is kept, the plain-http rule
// is checked across the whole object, and whether a schedule has any alert channel.
import { describe, expect, it } from 'vitest';
import { hasAlertChannels, normalizeNotify, notifyProblems } from '../../src/shared/notify-fields';

const PLAIN_HTTP =
  'plain http is only sent to this machine (localhost, 127.0.0.1, ::1); use https, ' +
  'or set notify.allow_http to true to send it unencrypted';

describe('normalizeNotify', () => {
  it('keeps the set fields', () => {
    const full = {
      on_success: true,
      on_failure: false,
      webhook_url: 'https://hooks.example.com/a',
      webhook_format: 'slack' as const,
      ping_url: 'https://ping.example.com/b',
      allow_http: true,
    };
    expect(normalizeNotify(full)).toEqual(full);
  });

  it('drops the defaults: null URLs, the json format, allow_http false', () => {
    expect(
      normalizeNotify({
        on_success: false,
        on_failure: true,
        webhook_url: null,
        webhook_format: 'json',
        ping_url: null,
        allow_http: false,
      }),
    ).toEqual({ on_success: false, on_failure: true });
  });
});

describe('notifyProblems', () => {
  it('names each plain-http URL to another host', () => {
    expect(
      notifyProblems({ webhook_url: 'http://example.com/a', ping_url: 'http://example.org/b' }),
    ).toEqual({ webhook_url: PLAIN_HTTP, ping_url: PLAIN_HTTP });
    expect(notifyProblems({ ping_url: 'http://example.org/b' })).toEqual({ ping_url: PLAIN_HTTP });
  });

  it('is content with https, loopback, allow_http, or no URL', () => {
    expect(notifyProblems({ webhook_url: 'https://example.com/a' })).toEqual({});
    expect(notifyProblems({ webhook_url: 'http://127.0.0.1:9/a' })).toEqual({});
    expect(notifyProblems({ webhook_url: 'http://example.com/a', allow_http: true })).toEqual({});
    expect(notifyProblems({ webhook_url: null, ping_url: null })).toEqual({});
    expect(notifyProblems({})).toEqual({});
  });
});

describe('hasAlertChannels', () => {
  it('is true with a webhook or a ping, false with neither or no notify', () => {
    const base = { on_success: false, on_failure: true };
    expect(hasAlertChannels({ ...base, webhook_url: 'https://a.example/h' })).toBe(true);
    expect(hasAlertChannels({ ...base, ping_url: 'https://a.example/p' })).toBe(true);
    expect(hasAlertChannels(base)).toBe(false);
    expect(hasAlertChannels(undefined)).toBe(false);
  });
});
