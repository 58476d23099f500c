// @ts-nocheck
// 
// GET /v1/auth/me (Cmdop): who the token is and what it may do. Cmdop's SDKs call it to check
// a token, and our connection test calls it to tell a Cmdop API from anything else.

/** Cmdop's token permissions, as its authentication page lists them. */
export const CMDOP_PERMISSIONS = [
  'machines:read',
  'machines:write',
  'commands:execute',
  'files:read',
  'files:write',
  'schedules:read',
  'schedules:write',
  'webhooks:manage',
] as const;

export interface Identity {
  /** Cmdop: `user_…`; ours: `local`. */
  id: string;
  /** Cmdop; ours: null (a local token belongs to whoever can read its file). */
  email: string | null;
  name: string;
  /** Cmdop: the account's plan; ours: `local`. */
  plan: string;
  permissions: string[];
  /** ours: how this request was let in: the API token, or the owner's socket. */
  auth?: 'token' | 'socket';
}

/** The local API's answer: one user, every permission (the token is the key to the machine). */
export function localIdentity(auth: 'token' | 'socket'): Identity {
  return {
    id: 'local',
    email: null,
    name: auth === 'socket' ? 'Local socket (the data directory owner)' : 'Local API token',
    plan: 'local',
    permissions: [...CMDOP_PERMISSIONS],
    auth,
  };
}
