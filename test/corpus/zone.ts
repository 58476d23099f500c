// A time zone's offset changes, found for the corpus without the engine's own code (dst.ts):
// Intl's "longOffset" names (GMT-04:00) sampled every 6 hours, then halved to the second.

export interface Transition {
  /** The instant the offset changes. */
  at: number;
  /** Offsets before and after, ms. */
  before: number;
  after: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

export function offsetMs(zone: string, ms: number): number {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formats.set(zone, f);
  }
  const name = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name);
  if (!m) throw new Error(`unexpected offset name ${name} in ${zone}`);
  if (!m[1]) return 0;
  const size = (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === '-' ? -size : size;
}

const STEP = 6 * 3600_000;

export function transitions(zone: string, from: number, to: number): Transition[] {
  const out: Transition[] = [];
  let t = from;
  let before = offsetMs(zone, t);
  while (t < to) {
    const next = Math.min(t + STEP, to);
    const after = offsetMs(zone, next);
    if (after !== before) {
      let lo = t;
      let hi = next;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetMs(zone, mid) === before) lo = mid;
        else hi = mid;
      }
      out.push({ at: hi, before, after });
    }
    before = after;
    t = next;
  }
  return out;
}
