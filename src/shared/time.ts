// Timestamps on the wire are UTC with second precision: `2024-01-21T03:00:00Z`.

export function formatTimestamp(ms: number): string {
  // toISOString() always ends in `.mmmZ`.
  return `${new Date(ms).toISOString().slice(0, -5)}Z`;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** Parses an ISO 8601 date or date-time with an explicit zone; null if it is not one. */
export function parseTimestamp(text: string): number | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  // A date alone is UTC midnight to Date.parse (ES2015), as the wire means it.
  const ms = Date.parse(text.trim());
  if (Number.isNaN(ms)) return null;
  // Date.parse rolls 2024-02-30 over into March; a person meant something else. (Month 00
  // or 13 and day 00 are NaN above; a rolled-over day 29-31 lands on day 1-3: the day tells.)
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCDate() !== Number(d)) return null;
  return ms;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
