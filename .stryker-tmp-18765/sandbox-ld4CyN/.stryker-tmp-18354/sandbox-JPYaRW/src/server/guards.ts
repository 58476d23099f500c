// @ts-nocheck
// 
// The local server's safety checks (API.md "Local server safety"): DNS rebinding via Host,
// CSRF via Origin, the bearer token. Pure functions over header values, so each rule is
// testable and the fastify hook stays a few lines.
import { ApiError } from '../shared/errors';
import { tokensMatch } from '../core/token';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Host header values that name this server: loopback names, plus the bound host. */
export function allowedHosts(boundHost: string, port: number): Set<string> {
  const host = boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost;
  const names = new Set(LOOPBACK_NAMES);
  if (host !== '0.0.0.0' && host !== '[::]') names.add(host.toLowerCase());
  return new Set([...names].map((n) => `${n}:${port}`));
}

function withPort(host: string): string {
  return /:\d+$/.test(host) ? host : `${host}:80`;
}

export function checkHost(host: string | undefined, allowed: Set<string>): void {
  if (!host || !allowed.has(withPort(host.toLowerCase()))) {
    throw new ApiError(
      'forbidden',
      `Host '${host ?? ''}' is not allowed; use http://127.0.0.1 with the server's port`,
    );
  }
}

export function checkOrigin(origin: string | undefined, allowed: Set<string>): void {
  if (origin === undefined) return; // curl and scripts send none; browsers always do
  let host: string | null = null;
  try {
    const url = new URL(origin);
    if (url.protocol === 'http:' && origin === url.origin)
      host = `${url.hostname}:${url.port || 80}`;
  } catch {
    host = null;
  }
  if (host === null || !allowed.has(host.toLowerCase())) {
    throw new ApiError('forbidden', `Origin '${origin}' is not allowed`);
  }
}

export function checkToken(authorization: string | undefined, token: string): void {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) {
    throw new ApiError('unauthorized', 'Missing bearer token: send Authorization: Bearer <token>');
  }
  if (!tokensMatch(match[1] as string, token)) throw new ApiError('unauthorized', 'Invalid token');
}
