// One (expression, zone) pair of the corpus: our fires against croner's over a year from a
// fixed start, fire by fire. A year of an every-second job is 31 million fires, so each
// window stops after a bounded number of fires: the year from its start, and around every
// offset change of the zone in that year (from 3 h before it, and for jobs too frequent to
// get past the change that way, from 90 s before it).
import { Cron } from 'croner';
import { nextFireTimes } from '../../src/shared/fires';
import {
  CRONER_OPTIONS,
  PairContext,
  RULES,
  SHARED,
  cronerPattern,
  type Disagreement,
} from './rules';

export interface PairOptions {
  start: number;
  end: number;
  /** Fires per window, on each side. */
  cap: number;
}

export interface Classified extends Disagreement {
  rule: string | null;
}

export interface PairResult {
  expression: string;
  zone: string;
  /** Instants both sides were compared on (the two lists' union). */
  compared: number;
  disagreements: Classified[];
  /** Per shared reading, the agreed fires that exercised it. */
  covered: Record<string, number>;
}

/** Fires strictly after `from`, before `end`, at most `cap`; and how far the list is complete. */
function capped(list: number[], cap: number, end: number): { fires: number[]; until: number } {
  const fires = list.filter((t) => t < end);
  return { fires, until: list.length >= cap ? (list[cap - 1] as number) : end - 1 };
}

export function comparePair(expression: string, zone: string, o: PairOptions): PairResult {
  const ctx = new PairContext(expression, zone, o.start, o.end);
  const croner = new Cron(cronerPattern(expression), { ...CRONER_OPTIONS, timezone: zone });
  const seen = new Set<string>();
  const union = new Set<number>();
  const disagreements: Classified[] = [];
  const agreed = new Set<number>();
  /** Compared spans [from, until], so a window already seen is not computed twice. */
  const spans: [number, number][] = [];
  const covers = (from: number, to: number) => spans.some(([a, b]) => a <= from && b >= to);

  const compare = (from: number): number => {
    const ours = capped(nextFireTimes(expression, zone, from - 1, o.cap), o.cap, o.end);
    const theirs = capped(
      croner.nextRuns(o.cap, new Date(from - 1)).map((d) => d.getTime()),
      o.cap,
      o.end,
    );
    // Compare only as far as both lists reach.
    const until = Math.min(ours.until, theirs.until);
    spans.push([from, until]);
    const a = new Set(ours.fires.filter((t) => t <= until));
    const b = new Set(theirs.fires.filter((t) => t <= until));
    const add = (side: Disagreement['side'], at: number) => {
      const key = `${side}${at}`;
      if (seen.has(key)) return;
      seen.add(key);
      const d = { side, at };
      disagreements.push({ ...d, rule: RULES.find((r) => r.explains(d, ctx))?.id ?? null });
    };
    for (const t of a) union.add(t);
    for (const t of b) union.add(t);
    for (const t of a) {
      if (b.has(t)) agreed.add(t);
      else add('ours', t);
    }
    for (const t of b) if (!a.has(t)) add('croner', t);
    return until;
  };

  compare(o.start);
  for (const t of ctx.transitions) {
    if (t.at < o.start || t.at >= o.end) continue;
    // 3 h either side of the change; for jobs too frequent to get there, from 90 s before.
    const before = Math.max(o.start, t.at - 3 * 3600_000);
    const after = t.at + 3 * 3600_000;
    if (covers(before, after)) continue;
    if (compare(before) < after && !covers(t.at - 90_000, t.at + 90_000)) {
      compare(Math.max(o.start, t.at - 90_000));
    }
  }
  const covered: Record<string, number> = {};
  for (const reading of SHARED) {
    covered[reading.id] = [...agreed].filter((t) => reading.covers(t, ctx)).length;
  }
  return { expression, zone, compared: union.size, disagreements, covered };
}
