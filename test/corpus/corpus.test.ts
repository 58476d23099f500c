// The DST rules proven on a corpus: ~1,000 seeded cron expressions in zones with and without
// DST, odd offsets and unusual changes, over a year from fixed starts, compared fire by fire
// with croner (an independent implementation, a dev dependency used only here). Every
// disagreement must be explained by a rule of the table in rules.ts; anything else fails,
// printed with its local times so it can be read and fixed.
//
// `npm test` runs a bounded corpus: each generated expression in one zone and start (in
// turn), the pinned ones in every zone, a few fires per window. `npm run corpus` runs every
// expression in every zone from both starts with a year of fires (CORPUS_SEED,
// CORPUS_EXPRESSIONS and CORPUS_CAP change it).
import { describe, expect, it } from 'vitest';
import { comparePair, type PairResult } from './compare';
import { corpusExpressions, PINNED } from './generate';
import { describeInstant, RULES, SHARED } from './rules';

const FULL = process.env.CORPUS_FULL === '1';
const SEED = Number(process.env.CORPUS_SEED ?? 18);
const EXPRESSIONS = Number(process.env.CORPUS_EXPRESSIONS ?? 1000);
const CAP = Number(process.env.CORPUS_CAP ?? (FULL ? 400 : 12));

export const ZONES = [
  'America/New_York',
  'Europe/London',
  // +10:30 / +11: a half-hour change.
  'Australia/Lord_Howe',
  // +05:30, no DST.
  'Asia/Kolkata',
  // Changes at midnight until 2019 (the start of 2018-09 sees both).
  'America/Sao_Paulo',
  // +12:45 / +13:45, changing at 02:45.
  'Pacific/Chatham',
  // +01 with DST suspended (back to +00) during Ramadan.
  'Africa/Casablanca',
  'UTC',
];

/** Fixed starts: 2018-09 for Sao Paulo's midnight changes and Chatham's spring; 2026 for today. */
export const STARTS = ['2018-09-01T00:00:00Z', '2026-01-01T00:00:00Z'].map((s) => Date.parse(s));
const YEAR_MS = 365 * 86_400_000;

interface Triple {
  expression: string;
  zone: string;
  start: number;
}

function triples(): Triple[] {
  const expressions = corpusExpressions(SEED, EXPRESSIONS);
  const out: Triple[] = [];
  expressions.forEach((expression, i) => {
    const everywhere = FULL || PINNED.includes(expression);
    ZONES.forEach((zone, z) =>
      STARTS.forEach((start, s) => {
        // In turn: expression i in one zone and start, so each pairing gets its share.
        if (everywhere || i % (ZONES.length * STARTS.length) === z * STARTS.length + s) {
          out.push({ expression, zone, start });
        }
      }),
    );
  });
  return out;
}

describe(`the fire corpus (seed ${SEED}, ${EXPRESSIONS} expressions${FULL ? ', full' : ''})`, () => {
  const results: PairResult[] = [];

  // The full run is ~6.7 million fires: tens of minutes on a busy machine.
  const timeout = FULL ? 4 * 3_600_000 : 600_000;
  it('every disagreement with croner is explained by a named rule', { timeout }, () => {
    const all = triples();
    for (const t of all) {
      results.push(
        comparePair(t.expression, t.zone, { start: t.start, end: t.start + YEAR_MS, cap: CAP }),
      );
    }
    const unexplained = results.flatMap((r) =>
      r.disagreements
        .filter((d) => d.rule === null)
        .map(
          (d) =>
            `${r.expression} in ${r.zone}: only ${d.side} fires at ${describeInstant(r.zone, d.at)}`,
        ),
    );
    const compared = results.reduce((n, r) => n + r.compared, 0);
    const byRule = Object.fromEntries(
      RULES.map((rule) => [
        rule.id,
        results.reduce((n, r) => n + r.disagreements.filter((d) => d.rule === rule.id).length, 0),
      ]),
    );
    const covered = Object.fromEntries(
      SHARED.map((s) => [s.id, results.reduce((n, r) => n + (r.covered[s.id] ?? 0), 0)]),
    );
    console.log(
      `corpus: ${all.length} (expression, zone, start) triples, ${compared} fires compared; ` +
        `disagreements by rule ${JSON.stringify(byRule)}; agreed fires by shared reading ${JSON.stringify(covered)}`,
    );
    expect(unexplained.slice(0, 30), `${unexplained.length} unexplained`).toEqual([]);
    // The corpus is a real one: many fires, and every rule and shared reading at work.
    expect(all.length).toBeGreaterThanOrEqual(EXPRESSIONS);
    expect(compared).toBeGreaterThan(all.length * 5);
    for (const rule of RULES) expect(byRule[rule.id], rule.id).toBeGreaterThan(0);
    for (const s of SHARED) expect(covered[s.id], s.id).toBeGreaterThan(0);
  });
});
