// GET /v1/auth/me on the local API: one local user with every Cmdop permission, saying how
// the request came in.
import { describe, expect, it } from 'vitest';
import { CMDOP_PERMISSIONS, localIdentity } from '../../src/shared/identity';
import { identityWire } from '../../src/shared/wire-schemas';

describe('localIdentity', () => {
  it('the token holder', () => {
    expect(localIdentity('token')).toEqual({
      id: 'local',
      email: null,
      name: 'Local API token',
      plan: 'local',
      permissions: [
        'machines:read',
        'machines:write',
        'commands:execute',
        'files:read',
        'files:write',
        'schedules:read',
        'schedules:write',
        'webhooks:manage',
      ],
      auth: 'token',
    });
  });

  it('the socket owner', () => {
    const me = localIdentity('socket');
    expect(me.name).toBe('Local socket (the data directory owner)');
    expect(me.auth).toBe('socket');
    expect(identityWire.parse(me)).toEqual(me);
  });

  it('hands out a copy of the permissions, not the list itself', () => {
    const me = localIdentity('token');
    me.permissions.push('root');
    expect(localIdentity('token').permissions).toEqual([...CMDOP_PERMISSIONS]);
  });
});
