// A zone's offset changes, as the engine and the fire preview read them: the instant each
// change happens (to the second), the offsets either side, the bounds of a query, and which
// local times an autumn change repeats.
import { describe, expect, it } from 'vitest';
import {
  firstTransition,
  isRepeatedLocalTime,
  lastTransition,
  offsetAt,
  transitionsBetween,
  zoneOffset,
} from '../../src/shared/dst';

const at = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const NY = 'America/New_York';
const SPRING_2026 = { at: at('2026-03-08T07:00:00Z'), before: -5 * H, after: -4 * H };
const AUTUMN_2026 = { at: at('2026-11-01T06:00:00Z'), before: -4 * H, after: -5 * H };

describe('offsetAt and zoneOffset: the offset at an instant', () => {
  it('whole and half-hour zones, winter and summer', () => {
    for (const read of [offsetAt, zoneOffset]) {
      expect(read(NY, at('2026-01-15T12:00:00Z'))).toBe(-5 * H);
      expect(read(NY, at('2026-07-15T12:00:00Z'))).toBe(-4 * H);
      expect(read('Asia/Kolkata', at('2026-07-15T12:00:00Z'))).toBe(5.5 * H);
      expect(read('UTC', at('2026-07-15T12:00:00Z'))).toBe(0);
      // Lord Howe moves by half an hour: +10:30 in winter, +11:00 in summer.
      expect(read('Australia/Lord_Howe', at('2026-07-15T12:00:00Z'))).toBe(10.5 * H);
      expect(read('Australia/Lord_Howe', at('2026-01-15T12:00:00Z'))).toBe(11 * H);
    }
  });

  it('changes at the exact second: the old offset just before it, the new one from it', () => {
    for (const read of [offsetAt, zoneOffset]) {
      expect(read(NY, SPRING_2026.at - 1000)).toBe(-5 * H);
      expect(read(NY, SPRING_2026.at)).toBe(-4 * H);
      expect(read(NY, AUTUMN_2026.at - 1)).toBe(-4 * H);
      expect(read(NY, AUTUMN_2026.at)).toBe(-5 * H);
    }
  });

  it('an instant with milliseconds has the offset of its second', () => {
    expect(offsetAt(NY, at('2026-01-15T12:00:00.999Z'))).toBe(-5 * H);
    expect(offsetAt('Asia/Kolkata', -500)).toBe(5.5 * H);
  });

  it('a zone with a seconds offset (Monrovia before 1972: -00:44:30)', () => {
    expect(offsetAt('Africa/Monrovia', at('1960-01-15T12:00:00Z'))).toBe(-(44 * 60_000 + 30_000));
  });
});

describe('transitionsBetween: changes in (from, to]', () => {
  it('a year of New York: spring and autumn, to the second, with the offsets either side', () => {
    expect(transitionsBetween(NY, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toEqual([
      SPRING_2026,
      AUTUMN_2026,
    ]);
  });

  it('from is left out, to is taken in', () => {
    expect(transitionsBetween(NY, SPRING_2026.at, AUTUMN_2026.at)).toEqual([AUTUMN_2026]);
    expect(transitionsBetween(NY, SPRING_2026.at - 1, AUTUMN_2026.at - 1)).toEqual([SPRING_2026]);
    expect(transitionsBetween(NY, SPRING_2026.at - 1, SPRING_2026.at)).toEqual([SPRING_2026]);
  });

  it('nothing for an empty or backwards range', () => {
    expect(transitionsBetween(NY, SPRING_2026.at, SPRING_2026.at)).toEqual([]);
    expect(transitionsBetween(NY, SPRING_2026.at + H, SPRING_2026.at - H)).toEqual([]);
    expect(
      transitionsBetween('UTC', at('2020-01-01T00:00:00Z'), at('2030-01-01T00:00:00Z')),
    ).toEqual([]);
  });

  it('across years, in order', () => {
    const changes = transitionsBetween(NY, at('2025-06-01T00:00:00Z'), at('2027-06-01T00:00:00Z'));
    expect(changes.map((c) => new Date(c.at).toISOString())).toEqual([
      '2025-11-02T06:00:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2027-03-14T07:00:00.000Z',
    ]);
  });

  it('Southern Hemisphere: Sydney goes forward in October and back in April', () => {
    const sydney = transitionsBetween(
      'Australia/Sydney',
      at('2026-01-01T00:00:00Z'),
      at('2026-12-31T00:00:00Z'),
    );
    expect(sydney).toEqual([
      { at: at('2026-04-04T16:00:00Z'), before: 11 * H, after: 10 * H },
      { at: at('2026-10-03T16:00:00Z'), before: 10 * H, after: 11 * H },
    ]);
  });

  it('a change at the first instant of a year is kept (Ceuta, 1 Jan 1901 00:00Z)', () => {
    const ceuta = { at: Date.UTC(1901, 0, 1), before: -(21 * 60_000 + 16_000), after: 0 };
    const from = Date.UTC(1900, 11, 31);
    const to = Date.UTC(1901, 0, 2);
    expect(transitionsBetween('Africa/Ceuta', from, to)).toEqual([ceuta]);
    expect(firstTransition('Africa/Ceuta', from, to)).toEqual(ceuta);
    expect(lastTransition('Africa/Ceuta', from, to)).toEqual(ceuta);
    expect(lastTransition('Africa/Ceuta', from, ceuta.at)).toEqual(ceuta);
    expect(zoneOffset('Africa/Ceuta', ceuta.at - 1000)).toBe(ceuta.before);
    expect(zoneOffset('Africa/Ceuta', ceuta.at)).toBe(0);
  });

  it('a change late in a year (Samoa skipped 30 Dec 2011)', () => {
    const apia = transitionsBetween(
      'Pacific/Apia',
      at('2011-12-25T00:00:00Z'),
      at('2012-01-05T00:00:00Z'),
    );
    expect(apia).toEqual([{ at: at('2011-12-30T10:00:00Z'), before: -10 * H, after: 14 * H }]);
  });
});

describe('firstTransition and lastTransition', () => {
  const from = at('2025-12-01T00:00:00Z');
  const to = at('2027-01-31T00:00:00Z');

  it('the first and the last change in (from, to], across years', () => {
    expect(firstTransition(NY, from, to)).toEqual(SPRING_2026);
    expect(lastTransition(NY, from, to)).toEqual(AUTUMN_2026);
  });

  it('bounds: a change at `from` is not in the range, one at `to` is', () => {
    expect(firstTransition(NY, SPRING_2026.at, to)).toEqual(AUTUMN_2026);
    expect(firstTransition(NY, from, SPRING_2026.at)).toEqual(SPRING_2026);
    expect(firstTransition(NY, from, SPRING_2026.at - 1)).toBeNull();
    expect(lastTransition(NY, from, AUTUMN_2026.at)).toEqual(AUTUMN_2026);
    expect(lastTransition(NY, from, AUTUMN_2026.at - 1)).toEqual(SPRING_2026);
    expect(lastTransition(NY, AUTUMN_2026.at, to)).toBeNull();
    expect(lastTransition(NY, SPRING_2026.at, AUTUMN_2026.at - 1)).toBeNull();
  });

  it('none in a year without changes, or in a zone that has none', () => {
    expect(firstTransition('UTC', from, to)).toBeNull();
    expect(lastTransition('UTC', from, to)).toBeNull();
    expect(firstTransition(NY, at('2026-04-01T00:00:00Z'), at('2026-10-01T00:00:00Z'))).toBeNull();
    expect(lastTransition(NY, at('2026-04-01T00:00:00Z'), at('2026-10-01T00:00:00Z'))).toBeNull();
  });

  it('looks into the next or the previous year when the first holds none in range', () => {
    expect(firstTransition(NY, at('2025-12-01T00:00:00Z'), at('2026-12-01T00:00:00Z'))).toEqual(
      SPRING_2026,
    );
    expect(lastTransition(NY, at('2025-12-01T00:00:00Z'), at('2027-02-01T00:00:00Z'))).toEqual(
      AUTUMN_2026,
    );
    expect(lastTransition(NY, at('2026-12-01T00:00:00Z'), at('2027-02-01T00:00:00Z'))).toBeNull();
  });
});

describe('isRepeatedLocalTime: the local times an autumn change repeats', () => {
  it('New York, 1 Nov 2026: 01:00-01:59:59 happens twice, as EDT and as EST', () => {
    // 01:00 EDT is 05:00Z; the change is at 06:00Z; 01:59:59 EST is 06:59:59Z.
    expect(isRepeatedLocalTime(NY, at('2026-11-01T04:59:59Z'))).toBe(false);
    expect(isRepeatedLocalTime(NY, at('2026-11-01T05:00:00Z'))).toBe(true);
    expect(isRepeatedLocalTime(NY, at('2026-11-01T05:59:59Z'))).toBe(true);
    expect(isRepeatedLocalTime(NY, at('2026-11-01T06:00:00Z'))).toBe(true);
    expect(isRepeatedLocalTime(NY, at('2026-11-01T06:59:59Z'))).toBe(true);
    expect(isRepeatedLocalTime(NY, at('2026-11-01T07:00:00Z'))).toBe(false);
  });

  it('a spring change repeats nothing, and neither does an ordinary day', () => {
    expect(isRepeatedLocalTime(NY, at('2026-03-08T06:30:00Z'))).toBe(false);
    expect(isRepeatedLocalTime(NY, at('2026-03-08T07:30:00Z'))).toBe(false);
    expect(isRepeatedLocalTime(NY, at('2026-06-01T05:30:00Z'))).toBe(false);
  });

  it('Lord Howe repeats half an hour (01:30-01:59:59)', () => {
    // The change back on 5 Apr 2026: 02:00 +11:00 (15:00Z) -> 01:30 +10:30.
    expect(isRepeatedLocalTime('Australia/Lord_Howe', at('2026-04-04T14:29:59Z'))).toBe(false);
    expect(isRepeatedLocalTime('Australia/Lord_Howe', at('2026-04-04T14:30:00Z'))).toBe(true);
    expect(isRepeatedLocalTime('Australia/Lord_Howe', at('2026-04-04T15:29:59Z'))).toBe(true);
    expect(isRepeatedLocalTime('Australia/Lord_Howe', at('2026-04-04T15:30:00Z'))).toBe(false);
  });
});
