// Area `reach`: alerts, notifications, the remote connection, and the host/service/router
// that compose them. Unit tests first; API tests only where a module is not reachable
// otherwise (each starts a real server: seconds per mutant).
export default [
  // The delivery queue and its per-run record: both are plain classes with injected timers
  // and a temp directory, and their own unit tests drive them directly.
  {
    name: 'reach-delivery',
    mutate: ['src/core/alerts/delivery-log.ts', 'src/core/alerts/delivery-queue.ts'],
    tests: [
      'test/unit/delivery-log.test.ts',
      'test/unit/delivery-queue.test.ts',
      'test/unit/reach-delivery.test.ts',
    ],
  },
  // Alerts wiring, webhook/test requests, one HTTP attempt and stuck-run detection: the
  // Alerts class is built directly (temp data dir, FakeTime, an event bus) against a real
  // receiver on 127.0.0.1; alert-formats covers the stuck-run notice and payload shapes.
  {
    name: 'reach-alerts',
    mutate: [
      'src/core/alerts/alerts.ts',
      'src/core/alerts/requests.ts',
      'src/core/alerts/http-send.ts',
      'src/core/alerts/stuck-runs.ts',
    ],
    tests: [
      'test/unit/alert-formats.test.ts',
      'test/unit/reach-alerts-pings-webhooks.test.ts',
      'test/unit/reach-alerts-stuck-runs.test.ts',
      'test/unit/reach-alerts-test-sends.test.ts',
      'test/unit/reach-http-send.test.ts',
    ],
  },
  // The notification center with its injectable notifier port, the notify-send actions
  // reader and the dbus-send questions (a fake dbus-send on PATH, never the real bus).
  {
    name: 'reach-notifications',
    mutate: ['src/core/notifications.ts', 'src/core/notify-send-actions.ts', 'src/core/dbus.ts'],
    tests: [
      'test/unit/notifications.test.ts',
      'test/unit/reach-notifications-ports.test.ts',
      'test/unit/reach-notifications-texts.test.ts',
      'test/unit/reach-notifications-center.test.ts',
    ],
  },
  // The machine identity and status, the remote Cmdop client and its probe: unit tests
  // against a stub API on 127.0.0.1 (remote-retries) and the Cmdop shapes.
  {
    name: 'reach-remote',
    mutate: [
      'src/core/machine.ts',
      'src/core/machine-status.ts',
      'src/core/remote.ts',
      'src/core/remote-probe.ts',
    ],
    tests: [
      'test/unit/remote-retries.test.ts',
      'test/unit/cmdop-shapes.test.ts',
      'test/unit/reach-remote.test.ts',
    ],
  },
  // The service: the biggest module, in its own slice so it reruns alone. reach-host opens
  // the host in-process (temp data dir, fixed clock, no HTTP server) and drives the
  // LocalService through the Router: seconds faster per mutant than the API tests.
  {
    name: 'reach-service',
    mutate: ['src/core/service.ts'],
    tests: [
      'test/unit/reach-host-local-service.test.ts',
      'test/unit/reach-host-remote-and-host.test.ts',
      'test/unit/reach-service.test.ts',
    ],
  },
  // Host composition (token, remote control), the router between local and a stand-in
  // remote, and ad-hoc commands (real child processes): the same in-process host test.
  {
    name: 'reach-host',
    mutate: ['src/core/host.ts', 'src/core/router.ts', 'src/core/commands.ts'],
    tests: [
      'test/unit/reach-host-local-service.test.ts',
      'test/unit/reach-host-remote-and-host.test.ts',
      'test/unit/reach-host-mutants-notices-decisions.test.ts',
      'test/unit/reach-host-mutants-services.test.ts',
      'test/unit/reach-commands.test.ts',
    ],
  },
  // Tiny modules: the app version (a constant) and the logger.
  {
    name: 'reach-small',
    mutate: ['src/core/app-version.ts', 'src/core/log.ts'],
    tests: ['test/unit/reach-small.test.ts'],
  },
];
