// node-notifier as a recorder, for `vi.mock('node-notifier', ...)` in a test file. It lives
// apart from notifications-rig because the mock factory imports it while node-notifier is
// being loaded: the rig reaches node-notifier itself (through ./server), so a factory that
// awaited the rig would wait on its own import and hang. Nothing here imports src/.

type Callback = (err: unknown, response?: unknown) => void;

/** What node-notifier was handed, and how it answers (settable by a test). */
export const notifier: {
  calls: { payload: Record<string, unknown> }[];
  answer: (cb: Callback) => void;
} = {
  calls: [],
  answer: (cb) => cb(null, ''),
};

/** The node-notifier module the vi.mock factory returns: it records and answers via `notifier`. */
export function notifierMock() {
  return {
    default: {
      notify(payload: Record<string, unknown>, cb: Callback) {
        notifier.calls.push({ payload });
        notifier.answer(cb);
      },
    },
  };
}
