// @ts-nocheck
// 
// Reading the decision log: a schedule's decisions newest first (filtered by the planned
// instants they cover), and the answer for one instant — the planned fire nearest it (the
// fire preview's own computation: fires.ts), what became of it, and the sentence saying why.
import { whySentence } from '../../shared/decision-sentence';
import {
  decisionAtQuerySchema,
  decisionsQuerySchema,
  type Decision,
  type DecisionAt,
  type DecisionAtQueryInput,
  type DecisionsApi,
  type DecisionsPage,
  type DecisionsQueryInput,
} from '../../shared/decisions-api';
import { ApiError } from '../../shared/errors';
import { nextFireDetails, previousFireTime } from '../../shared/fires';
import { parseInput } from '../../shared/schemas';
import { formatTimestamp, type Clock } from '../../shared/time';
import type { ScheduleRepository, StoredSchedule } from '../schedules';
import { newDecision, type DecisionLog } from './recorder';

export interface DecisionQueriesDeps {
  decisions: DecisionLog;
  repo: ScheduleRepository;
  clock: Clock;
}

const first = (d: Decision) => Date.parse(d.scheduled_for);
const last = (d: Decision) => Date.parse(d.last_scheduled_for);
const covers = (d: Decision, at: number) => first(d) <= at && at <= last(d);

/** The main decision about a fire first; then its catch-up, then its retries. */
const RANK: Partial<Record<Decision['kind'], number>> = { caught_up: 1, retry: 2 };

export class DecisionQueries implements DecisionsApi {
  readonly #d: DecisionQueriesDeps;

  constructor(deps: DecisionQueriesDeps) {
    this.#d = deps;
  }

  #schedule(id: string): StoredSchedule {
    const s = this.#d.repo.get(id);
    if (!s) throw ApiError.notFound('Schedule', id);
    return s;
  }

  async decisions(id: string, query: DecisionsQueryInput = {}): Promise<DecisionsPage> {
    const q = parseInput(decisionsQuerySchema, query, 'query');
    this.#schedule(id);
    const matching = this.#d.decisions.store
      .entries(id)
      .filter(
        (d) =>
          (q.since === undefined || last(d) >= q.since) &&
          (q.until === undefined || first(d) <= q.until),
      )
      .sort((a, b) => last(b) - last(a) || Date.parse(b.decided_at) - Date.parse(a.decided_at));
    return {
      data: matching.slice(q.offset, q.offset + q.limit),
      meta: { total: matching.length, limit: q.limit, offset: q.offset },
    };
  }

  async decisionAt(id: string, query: DecisionAtQueryInput): Promise<DecisionAt> {
    const { time } = parseInput(decisionAtQuerySchema, query, 'query');
    const s = this.#schedule(id);
    const entries = this.#d.decisions.store.entries(id);
    const before = previousFireTime(s.cron, s.timezone, time);
    const [after] = nextFireDetails(s.cron, s.timezone, time, 1);
    // A recorded fire at exactly that instant counts too (the expression may have changed).
    const planned = before === time || entries.some((d) => first(d) === time || last(d) === time);
    let fire: number | null = planned ? time : null;
    if (!planned) {
      const candidates = [before, after?.at ?? null].filter((t): t is number => t !== null);
      fire = candidates.sort((a, b) => Math.abs(a - time) - Math.abs(b - time))[0] ?? null;
    }
    const nearest = planned
      ? []
      : [before, after?.at ?? null].filter((t): t is number => t !== null).map(formatTimestamp);
    const about = fire === null ? [] : entries.filter((d) => covers(d, fire as number));
    about.sort((a, b) => (RANK[a.kind] ?? 0) - (RANK[b.kind] ?? 0));
    const decision: Decision | null = about[0] ?? (fire === null ? null : this.#disabled(s, fire));
    const related = about.slice(1);
    // A span's catch-up stands for its last instant: it is this fire's news too.
    if (decision && decision.kind === 'missed') {
      const span = decision;
      for (const d of entries) {
        if (d.kind === 'caught_up' && covers(span, first(d)) && !related.includes(d)) {
          related.push(d);
        }
      }
    }
    const answer: Omit<DecisionAt, 'sentence'> = {
      schedule_id: s.id,
      timezone: s.timezone,
      time: formatTimestamp(time),
      planned,
      fire: fire === null ? null : formatTimestamp(fire),
      nearest,
      decision,
      related,
    };
    return { ...answer, sentence: whySentence(answer, this.#d.clock.now()) };
  }

  /** A fire of a schedule disabled now, since before it: not recorded yet (on enabling). */
  #disabled(s: StoredSchedule, fire: number): Decision | null {
    const since = this.#d.decisions.disabledSince(s.id);
    const now = this.#d.clock.now();
    if (s.enabled || since === null || fire < since || fire > now) return null;
    const at = formatTimestamp(fire);
    return newDecision(s, now, {
      kind: 'skipped_disabled',
      ran: false,
      scheduled_for: at,
      last_scheduled_for: at,
      span_from: formatTimestamp(since),
      message: 'the schedule is disabled',
    });
  }
}
