// The child's side of the channel to the test (the fork IPC channel): every call the app
// makes on the stand-in is recorded here, and the test drives scenarios with commands.
const handlers = new Map();

function plain(value, seen = new WeakSet()) {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' ? '[function]' : value;
  }
  if (Buffer.isBuffer(value)) return { buffer: value.toString('base64') };
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => plain(v, seen));
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = plain(v, seen);
  return out;
}

let seq = 0;

export const control = {
  /** One call the app made, in order. */
  record(api, detail = {}) {
    process.send?.({ type: 'record', seq: ++seq, api, detail: plain(detail) });
  },
  /** A command the test can send: `fn(args)` may return a promise. */
  handle(name, fn) {
    handlers.set(name, fn);
  },
  /** Sends what is queued, then calls back: app.exit must not lose the last records. */
  flush(callback) {
    if (!process.send) return callback();
    process.send({ type: 'flush' }, () => callback());
  },
};

process.on('message', async (message) => {
  if (message?.type !== 'command') return;
  const { id, name, args } = message;
  const fn = handlers.get(name);
  try {
    if (!fn) throw new Error(`the harness has no command '${name}'`);
    const value = await fn(args ?? {});
    process.send?.({ type: 'reply', id, ok: true, value: plain(value) });
  } catch (error) {
    process.send?.({ type: 'reply', id, ok: false, error: String(error?.message ?? error) });
  }
});
