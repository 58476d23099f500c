// The event stream as the browser UI reads it: events split on blank lines, multi-line data
// joined, comments and keep-alives skipped, a broken event dropped, the unfinished tail kept.
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../src/shared/events';
import { parseSse } from '../../src/shared/sse';

function parse(buffer: string) {
  const events: ApiEvent[] = [];
  const rest = parseSse(buffer, (e) => events.push(e));
  return { events, rest };
}

describe('parseSse', () => {
  it('emits each complete event and returns the unfinished rest', () => {
    const a = { type: 'schedule.deleted', id: 'sched_1' };
    const b = { type: 'schedule.deleted', id: 'sched_2' };
    const { events, rest } = parse(
      `event: x\ndata: ${JSON.stringify(a)}\n\ndata:${JSON.stringify(b)}\n\ndata: {"ty`,
    );
    expect(events).toEqual([a, b]);
    expect(rest).toBe('data: {"ty');
  });

  it('joins multi-line data with newlines and drops only a space right after the colon', () => {
    const { events } = parse('data: {"type": "schedule.deleted",\ndata:  "id": " x"}\n\n');
    expect(events).toEqual([{ type: 'schedule.deleted', id: ' x' }]);
    const { events: inner } = parse('data:{"type":"schedule.deleted","id":"a b"}\n\n');
    expect(inner).toEqual([{ type: 'schedule.deleted', id: 'a b' }]);
  });

  it('keeps the lines of one event apart: `[1` and `2]` are not [12]', () => {
    expect(parse('data: [1\ndata: 2]\n\n').events).toEqual([]);
    expect(parse('data: [1,\ndata: 2]\n\n').events).toEqual([[1, 2]]);
  });

  it('skips comments and keep-alives, and drops an event that is not JSON', () => {
    const good = { type: 'schedule.deleted', id: 's' };
    const { events, rest } = parse(
      `: keep-alive\n\nid: 3\n\ndata: not json\n\nxdata: {}\n\ndata: ${JSON.stringify(good)}\n\n`,
    );
    expect(events).toEqual([good]);
    expect(rest).toBe('');
  });

  it('keeps everything when no event is complete yet', () => {
    expect(parse('data: {}\n')).toEqual({ events: [], rest: 'data: {}\n' });
    expect(parse('')).toEqual({ events: [], rest: '' });
  });
});
