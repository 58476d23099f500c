// A seeded generator of cron expressions for the corpus: 5- and 6-field, lists, ranges,
// steps, names, macros, day-of-month and day-of-week together, Feb 29 and the 31st. Hours
// and minutes lean towards the ones DST changes touch (00:00-03:59, and :45 for Chatham), so
// most expressions meet a gap or a repeated hour somewhere in the year. Only expressions our
// validator accepts are kept: the corpus compares fires, not syntax.
import { cronError } from '../../src/shared/cron';

/** mulberry32: small, fast and the same on every machine for a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;

const int = (r: Rand, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;

interface Spec {
  min: number;
  max: number;
  /** Values picked more often: where DST and short months bite. */
  hot: readonly number[];
  names?: readonly string[];
  nameBase?: number;
}

const SECOND: Spec = { min: 0, max: 59, hot: [0, 30, 59] };
const MINUTE: Spec = { min: 0, max: 59, hot: [0, 15, 30, 45, 59] };
const HOUR: Spec = { min: 0, max: 23, hot: [0, 1, 2, 3, 23] };
const DOM: Spec = { min: 1, max: 31, hot: [1, 15, 28, 29, 30, 31] };
const MONTH: Spec = {
  min: 1,
  max: 12,
  hot: [2, 3, 4, 9, 10, 11],
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  nameBase: 1,
};
const DOW: Spec = {
  min: 0,
  max: 7,
  hot: [0, 5, 6, 7],
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  nameBase: 0,
};

function value(r: Rand, s: Spec): number {
  return r() < 0.6 ? pick(r, s.hot) : int(r, s.min, s.max);
}

function named(r: Rand, s: Spec, v: number): string {
  if (!s.names || r() < 0.6) return String(v);
  const name = s.names[(v - (s.nameBase ?? 0)) % s.names.length] as string;
  return r() < 0.2 ? name.toLowerCase() : name;
}

/** One field: `*`, a value, a list, a range, a stepped range, `*\/n` or `a/n`. */
function field(r: Rand, s: Spec, star: number): string {
  const x = r();
  if (x < star) return '*';
  const rest = (x - star) / (1 - star);
  if (rest < 0.4) return named(r, s, value(r, s));
  if (rest < 0.55) {
    const n = int(r, 2, 4);
    const values = new Set<number>();
    while (values.size < n) values.add(value(r, s));
    return [...values]
      .sort((a, b) => a - b)
      .map((v) => named(r, s, v))
      .join(',');
  }
  const lo = int(r, s.min, s.max - 1);
  const hi = int(r, lo + 1, s.max);
  const widest = s.max - s.min;
  const step = int(r, 2, Math.max(2, Math.min(widest, Math.floor(widest / 2))));
  if (rest < 0.7) return `${named(r, s, lo)}-${named(r, s, hi)}`;
  if (rest < 0.8) return `${lo}-${hi}/${step}`;
  if (rest < 0.92) return `*/${step}`;
  return `${lo}/${step}`;
}

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** Calendar shapes people write, beside the random ones. */
function calendar(r: Rand): [string, string, string] {
  switch (int(r, 0, 5)) {
    case 0:
      return ['29', pick(r, ['2', 'FEB', '*']), '*']; // Feb 29
    case 1:
      return ['31', pick(r, ['*', '1,3,5,7,8,10,12', '1-12/2', 'JAN-DEC']), '*']; // the 31st
    case 2:
      // Day of month and day of week both restricted: either one fires.
      return [field(r, DOM, 0), '*', field(r, DOW, 0)];
    case 3:
      return ['*', field(r, MONTH, 0.5), field(r, DOW, 0)];
    default:
      return [field(r, DOM, 0.6), field(r, MONTH, 0.7), field(r, DOW, 0.7)];
  }
}

export function generateExpression(r: Rand): string {
  if (r() < 0.05) {
    const macro = pick(r, MACROS);
    return r() < 0.2 ? macro.toUpperCase() : macro;
  }
  const [dom, month, dow] = calendar(r);
  const minute = field(r, MINUTE, 0.15);
  const hour = field(r, HOUR, 0.2);
  const five = [minute, hour, dom, month, dow];
  if (r() < 0.3) return [field(r, SECOND, 0.15), ...five].join(' ');
  return five.join(' ');
}

/** Cases named in issues and the README, always in the corpus. */
export const PINNED = [
  '30 2 * * *',
  '0 2 * * *',
  '30 1 * * *',
  '0 * * * *',
  '*/20 * * * *',
  '0 12 * * 7',
  '15 2 * * *',
  '45 2 * * *',
  '0 0 * * *',
  '30 23 * * *',
  '0 0 29 2 *',
  '0 0 31 * *',
  '0 0 1 * 1',
  '*/15 2 * * *',
  '0,30 1-3 * * *',
  '0 0-4/2 * * *',
  '5/20 2 * * *',
  '*/10 30 2 * * *',
  '0 30 2 * * *',
  // A Sunday only the day-of-week step names (5/2: Friday, Sunday), moved by a spring gap.
  '30 2 * * 5/2',
  '@daily',
  '@hourly',
];

/** `count` distinct valid expressions for a seed, the pinned ones first. */
export function corpusExpressions(seed: number, count: number): string[] {
  const r = prng(seed);
  const out = new Set(PINNED.slice(0, count));
  for (let tries = 0; out.size < count && tries < count * 20; tries++) {
    const expr = generateExpression(r);
    if (cronError(expr) === null) out.add(expr);
  }
  return [...out];
}
