import { describe, it, expect } from 'vitest';
import { ApiError } from '../../src/shared/errors';
import { allowedHosts, checkHost, checkOrigin, checkToken } from '../../src/server/guards';

const PORT = 8787;
const ALLOWED = allowedHosts('127.0.0.1', PORT);
const TOKEN = 'tok_0123456789abcdefghijklmnopqrstuvwxyzABCDEF';

function errorOf(fn: () => void): ApiError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ApiError);
  return caught as ApiError;
}

describe('allowedHosts', () => {
  it('lists the loopback names with the port', () => {
    expect([...ALLOWED].sort()).toEqual(['127.0.0.1:8787', '[::1]:8787', 'localhost:8787'].sort());
  });

  it('adds an explicitly bound host, bracketing IPv6', () => {
    expect(allowedHosts('192.168.1.5', 9000).has('192.168.1.5:9000')).toBe(true);
    expect(allowedHosts('fe80::1', 9000).has('[fe80::1]:9000')).toBe(true);
  });

  it('does not add wildcard bind addresses as names', () => {
    expect(allowedHosts('0.0.0.0', PORT).has(`0.0.0.0:${PORT}`)).toBe(false);
    expect(allowedHosts('::', PORT).has(`[::]:${PORT}`)).toBe(false);
  });
});

describe('checkHost', () => {
  it.each(['127.0.0.1:8787', 'localhost:8787', 'LOCALHOST:8787', '[::1]:8787'])(
    'allows %s',
    (host) => {
      expect(() => checkHost(host, ALLOWED)).not.toThrow();
    },
  );

  it.each([
    ['evil.com:8787'],
    ['127.0.0.1:9999'],
    ['127.0.0.1'],
    ['localhost'],
    ['127.0.0.1.evil.com:8787'],
  ])('forbids %s', (host) => {
    const err = errorOf(() => checkHost(host, ALLOWED));
    expect(err.code).toBe('forbidden');
    expect(err.status).toBe(403);
    expect(err.message).toContain(host);
  });

  it('forbids a missing or empty Host', () => {
    expect(errorOf(() => checkHost(undefined, ALLOWED)).code).toBe('forbidden');
    expect(errorOf(() => checkHost('', ALLOWED)).code).toBe('forbidden');
  });

  it('allows a host without a port when the server is on port 80', () => {
    expect(() => checkHost('localhost', allowedHosts('127.0.0.1', 80))).not.toThrow();
  });
});

describe('checkOrigin', () => {
  it('allows requests with no Origin (curl, scripts)', () => {
    expect(() => checkOrigin(undefined, ALLOWED)).not.toThrow();
  });

  it.each(['http://127.0.0.1:8787', 'http://localhost:8787', 'http://[::1]:8787'])(
    'allows the server’s own origin %s',
    (origin) => {
      expect(() => checkOrigin(origin, ALLOWED)).not.toThrow();
    },
  );

  it.each([
    'http://evil.com',
    'http://evil.com:8787',
    'null',
    '',
    'https://127.0.0.1:8787',
    'http://127.0.0.1:9999',
    'http://127.0.0.1',
    'file://',
  ])('forbids %j', (origin) => {
    const err = errorOf(() => checkOrigin(origin, ALLOWED));
    expect(err.code).toBe('forbidden');
    expect(err.status).toBe(403);
  });
});

describe('checkToken', () => {
  it('accepts the right bearer token', () => {
    expect(() => checkToken(`Bearer ${TOKEN}`, TOKEN)).not.toThrow();
    expect(() => checkToken(`bearer ${TOKEN}`, TOKEN)).not.toThrow();
  });

  it.each([undefined, '', 'Bearer', `Basic ${TOKEN}`, TOKEN])(
    'refuses a missing bearer token (%j) as unauthorized',
    (header) => {
      const err = errorOf(() => checkToken(header, TOKEN));
      expect(err.code).toBe('unauthorized');
      expect(err.status).toBe(401);
      expect(err.message).toMatch(/Missing bearer token/);
    },
  );

  it('refuses a wrong token as unauthorized', () => {
    for (const given of ['wrong', `${TOKEN}x`, TOKEN.slice(1)]) {
      const err = errorOf(() => checkToken(`Bearer ${given}`, TOKEN));
      expect(err.code).toBe('unauthorized');
      expect(err.status).toBe(401);
      expect(err.message).toBe('Invalid token');
      expect(err.message).not.toContain(TOKEN);
    }
  });
});
