// Alert URLs as the editor, the server and the logs see them: which are refused and why,
// which plain-http hosts are this machine, what a secret URL is shown as, how a message is
// scrubbed of it, and the ping addresses and exit codes of the healthchecks.io convention.
import { describe, expect, it } from 'vitest';
import {
  alertUrlProblem,
  isLoopbackHost,
  pingSuffix,
  pingUrl,
  plainHttpProblem,
  readsExitCodes,
  redactPing,
  redactUrl,
  scrubUrls,
} from '../../src/shared/alert-url';

describe('alertUrlProblem', () => {
  it('refuses spaces, other schemes and what is not a URL, with the rule in words', () => {
    const scheme = 'must be an http:// or https:// URL such as https://hooks.slack.com/services/…';
    expect(alertUrlProblem('https://hooks.example/a b')).toBe('must be a URL without spaces');
    expect(alertUrlProblem('ftp://files.example/x')).toBe(scheme);
    expect(alertUrlProblem('hooks.example/x')).toBe(scheme);
    expect(alertUrlProblem('http://')).toBe(scheme);
    expect(alertUrlProblem('http://hooks.example/x')).toBeNull();
    expect(alertUrlProblem('https://hooks.example/x')).toBeNull();
  });
});

describe('plain http', () => {
  it('names the rule and the way out when it would leave this machine', () => {
    expect(plainHttpProblem('http://10.0.0.5/hook', false)).toBe(
      'plain http is only sent to this machine (localhost, 127.0.0.1, ::1); use https, ' +
        'or set notify.allow_http to true to send it unencrypted',
    );
    expect(plainHttpProblem('not a url', false)).toBeNull();
  });

  it('counts localhost, its subdomains, 127.x.y.z and ::1 as this machine', () => {
    expect(plainHttpProblem('http://app.localhost:3000/x', false)).toBeNull();
    expect(plainHttpProblem('http://LOCALHOST/x', false)).toBeNull();
    expect(plainHttpProblem('http://127.0.0.1.evil.example/x', false)).not.toBeNull();
    expect(plainHttpProblem('http://localhost.evil.example/x', false)).not.toBeNull();
    expect(isLoopbackHost('127.255.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('a127.0.0.1')).toBe(false);
    expect(isLoopbackHost('127.0.0.1a')).toBe(false);
    expect(isLoopbackHost('127.10.20.30')).toBe(true);
    expect(isLoopbackHost('127.1000.0.1')).toBe(false);
  });
});

describe('redactUrl', () => {
  it('keeps scheme, host and port, and says whether there was more', () => {
    expect(redactUrl('https://hooks.example')).toBe('https://hooks.example/');
    expect(redactUrl('https://hooks.example/?sig=1')).toBe('https://hooks.example/…');
    expect(redactUrl('https://hooks.example/#frag')).toBe('https://hooks.example/…');
    expect(redactUrl('https://hooks.example:8443/x')).toBe('https://hooks.example:8443/…');
    expect(redactUrl('::not a url')).toBe('(an unusable URL)');
  });
});

describe('scrubUrls', () => {
  it('skips a URL that cannot be read', () => {
    expect(scrubUrls('nothing secret', ['::not a url'])).toBe('nothing secret');
  });

  it('does not touch slashes elsewhere when the URL has no path', () => {
    expect(scrubUrls('POST https://hooks.example/ failed: a/b', ['https://hooks.example/'])).toBe(
      'POST https://hooks.example/ failed: a/b',
    );
  });

  it('removes the URL as written and as normalised, and its path alone', () => {
    const raw = 'https://Hooks.Example/T0/secret';
    expect(
      scrubUrls(`as written ${raw}, normalised https://hooks.example/T0/secret, path /T0/secret`, [
        raw,
      ]),
    ).toBe('as written https://hooks.example/…, normalised https://hooks.example/…, path /…');
  });

  it('removes the longer normalised form whole, with its user and password', () => {
    const raw = 'https://user:pw@hooks.example';
    expect(scrubUrls('POST https://user:pw@hooks.example/ failed', [raw])).toBe(
      'POST https://hooks.example/ failed',
    );
    const withPath = 'https://user:pw@hooks.example/T0';
    expect(scrubUrls(`POST ${withPath} failed`, [withPath])).toBe(
      'POST https://hooks.example/… failed',
    );
  });
});

describe('pings', () => {
  it('sends the exit code 1..255 of a failure, /fail otherwise', () => {
    expect(pingSuffix('fail', 1)).toBe('/1');
    expect(pingSuffix('fail', 255)).toBe('/255');
    expect(pingSuffix('fail', 0)).toBe('/fail');
    expect(pingSuffix('fail', 256)).toBe('/fail');
    expect(pingSuffix('fail', -1)).toBe('/fail');
    expect(pingSuffix('fail')).toBe('/fail');
    expect(pingSuffix('start', 3)).toBe('/start');
    expect(pingSuffix('log', 3)).toBe('/log');
    expect(pingSuffix('success', 3)).toBe('');
  });

  it('puts the suffix after the path without doubled slashes', () => {
    expect(pingUrl('https://hc-ping.com/uuid//', 'start')).toBe('https://hc-ping.com/uuid/start');
    expect(pingUrl('https://ping.example/', 'success')).toBe('https://ping.example/');
    expect(pingUrl('https://ping.example', 'fail', 2)).toBe('https://ping.example/2');
  });

  it('shows a ping to a bare host with its suffix', () => {
    expect(redactPing('https://hc-ping.com/', 'start')).toBe('https://hc-ping.com/start');
    expect(redactPing('https://hc-ping.com/uuid', 'success')).toBe('https://hc-ping.com/…');
  });

  it('knows which services read exit codes', () => {
    expect(readsExitCodes('https://eu.hc-ping.com/u')).toBe(true);
    expect(readsExitCodes('https://HC-PING.COM/u')).toBe(true);
    expect(readsExitCodes('https://healthchecks.io/u')).toBe(true);
    expect(readsExitCodes('https://my.healthchecks.io/u')).toBe(true);
    expect(readsExitCodes('https://nothc-ping.com/u')).toBe(false);
    expect(readsExitCodes('https://hc-ping.com.example/u')).toBe(false);
    expect(readsExitCodes('https://push.example/pings/u')).toBe(false);
    expect(readsExitCodes('not a url')).toBe(false);
  });
});
