// The composed host, for what its wiring decides: openHost on a temp data dir with a fixed
// clock (or FakeTime's timers) and a recording notifier. What the user would see: notices on
// the desktop, the decision log on disk and on the schedule, backups, the remote connection
// and its status, the router's answers.
// Each test file calls hostMutantsRig() once: it owns the hosts, their temp dirs and the
// stand-in HTTP servers a test started, all closed after each test.
import type { Server } from 'node:http';
import { hostRig } from './host-rig';

export const enospc = () => Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });

export function hostMutantsRig(afterEach: Parameters<typeof hostRig>[0]) {
  const rig = hostRig(afterEach);
  const servers: Server[] = [];
  afterEach(async () => {
    while (servers.length) {
      const s = servers.pop() as Server;
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });
  return { ...rig, servers };
}
