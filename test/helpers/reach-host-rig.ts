// The composed host without its HTTP server: openHost on a temp data dir with a fixed clock
// and a recording notifier, driven through the Router every surface calls (LocalService,
// ad-hoc commands) and the remote control; a stand-in remote SchedulesApi shows what the
// Router merges and where it sends each call.
//
// reachHostRig registers what reach-host-local-service and reach-host-remote-and-host share
// (reach-host-mutants has its own set-up): the host rig of host-rig.ts, a fresh data dir per
// open and every host closed after each test.
import { hostRig } from './host-rig';

type AfterEach = Parameters<typeof hostRig>[0];

export const BASE = {
  name: 'Daily Backup',
  machine_id: 'local',
  command: 'true',
  cron: '0 3 * * *',
};

export function reachHostRig(afterEach: AfterEach) {
  const { open, hosts } = hostRig(afterEach);
  return { open, hosts };
}
