// The shared contract's HTTP client, input schemas and small helpers (area `shrest`).
export default [
  // The typed HTTP client: its own tests run it against a real node:http server on loopback;
  // remote-retries drives it through the remote proxy (retries, Retry-After, the timeout).
  {
    name: 'shrest-http-client',
    mutate: ['src/shared/http-client.ts'],
    tests: ['test/unit/shrest-http-client.test.ts', 'test/unit/remote-retries.test.ts'],
  },
  // The input schemas are plain zod: unit tests parse inputs and read the error words, no
  // server needed. settings.ts and batch.ts build on schemas.ts and are checked the same way.
  {
    name: 'shrest-schemas',
    mutate: [
      'src/shared/schemas.ts',
      'src/shared/settings.ts',
      'src/shared/batch.ts',
      'src/shared/alerts-api.ts',
      'src/shared/backups.ts',
    ],
    tests: [
      'test/unit/schemas.test.ts',
      'test/unit/input-rules.test.ts',
      'test/unit/shrest-schemas.test.ts',
    ],
  },
  // Small pure helpers and type-only modules (types, api, bridge, events, storage and the
  // wire schemas have no runtime code beyond static constants): each helper's own unit test
  // (alert-formats also reads notify-fields); no server needed.
  {
    name: 'shrest-small',
    mutate: [
      'src/shared/errors.ts',
      'src/shared/ids.ts',
      'src/shared/identity.ts',
      'src/shared/routes.ts',
      'src/shared/sse.ts',
      'src/shared/policy-fields.ts',
      'src/shared/notify-fields.ts',
      'src/shared/wire-schemas.ts',
      'src/shared/types.ts',
      'src/shared/api.ts',
      'src/shared/bridge.ts',
      'src/shared/events.ts',
      'src/shared/storage.ts',
    ],
    tests: [
      'test/unit/ids.test.ts',
      'test/unit/alert-formats.test.ts',
      'test/unit/shrest-errors.test.ts',
      'test/unit/shrest-ids.test.ts',
      'test/unit/shrest-identity.test.ts',
      'test/unit/shrest-routes.test.ts',
      'test/unit/shrest-sse.test.ts',
      'test/unit/shrest-notify-fields.test.ts',
      'test/unit/shrest-contract.test.ts',
    ],
  },
];
