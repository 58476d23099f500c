// @ts-nocheck
// 
// @vitest-environment happy-dom
// The editor's cron preview: words computed here, fires asked of the engine (the code behind
// POST /v1/cron/fires, in-process) and shown in the zone with what DST did to each.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CronPreview,
  describeCron,
  PREVIEW_COUNT,
  type CronPreviewProps,
} from '../../src/renderer/src/components/CronPreview';
import { matchPreset } from '../../src/renderer/src/components/cronPresets';
import { formatDuration } from '../../src/renderer/src/components/format';
import { ApiError } from '../../src/shared/errors';
import { randomDelayOffset } from '../../src/shared/random-delay';
import type { CronFiresInput, FiresResult } from '../../src/shared/fires-api';
import { engineFires } from './engine';

const NOW = Date.parse('2026-11-29T18:30:00Z');

afterEach(cleanup);

type Props = Omit<CronPreviewProps, 'fires'> & Partial<Pick<CronPreviewProps, 'fires'>>;

function preview(props: Props) {
  const fires = props.fires ?? engineFires();
  const view = render(<CronPreview debounceMs={0} {...props} fires={fires} />);
  const rerender = (next: Props) =>
    view.rerender(<CronPreview debounceMs={0} {...next} fires={next.fires ?? fires} />);
  return { ...view, rerender, fires };
}

/** The listed runs once the answer for the current expression is in (not busy). */
async function runs(): Promise<string[]> {
  return waitFor(() => {
    const list = screen.getByRole('list', { name: 'Next runs' });
    expect(list.getAttribute('aria-busy')).toBeNull();
    return within(list)
      .getAllByRole('listitem')
      .map((li) => li.textContent ?? '');
  });
}

/** A fires function whose answers the test hands out, one question at a time. */
function controlled() {
  const asked: { input: CronFiresInput; answer(r: FiresResult): void; fail(e: Error): void }[] = [];
  const fires = vi.fn(
    (input: CronFiresInput) =>
      new Promise<FiresResult>((answer, fail) => asked.push({ input, answer, fail })),
  );
  return { fires, asked };
}

describe('CronPreview', () => {
  it('describes the expression and lists the engine’s next 5 runs in the zone', async () => {
    const { fires } = preview({ cron: '0 3 * * *', timeZone: 'America/New_York', now: NOW });
    expect(screen.getByText('At 03:00')).toBeTruthy();
    expect(await runs()).toEqual([
      'Mon, Nov 30, 03:00 EST',
      'Tue, Dec 1, 03:00 EST',
      'Wed, Dec 2, 03:00 EST',
      'Thu, Dec 3, 03:00 EST',
      'Fri, Dec 4, 03:00 EST',
    ]);
    // The machine-readable instant is the route's `at`: 03:00 EST is 08:00Z.
    const first = screen.getAllByRole('listitem')[0]?.querySelector('time');
    expect(first?.getAttribute('datetime')).toBe('2026-11-30T08:00:00Z');
    // One question, as the route takes it: from the dialog's clock, five fires, no delay.
    expect(fires).toHaveBeenCalledTimes(1);
    expect(fires).toHaveBeenCalledWith({
      cron: '0 3 * * *',
      timezone: 'America/New_York',
      from: '2026-11-29T18:30:00Z',
      count: PREVIEW_COUNT,
      random_delay: 0,
    });
  });

  it('marks the fire the spring gap moves, and says from when', async () => {
    preview({
      cron: '30 2 * * *',
      timeZone: 'America/New_York',
      now: Date.parse('2026-03-07T12:00:00Z'),
    });
    expect(screen.getByText('At 02:30')).toBeTruthy();
    expect(await runs()).toEqual([
      'Sun, Mar 8, 03:30 EDT · moved from 02:30: skipped by the DST change',
      'Mon, Mar 9, 02:30 EDT',
      'Tue, Mar 10, 02:30 EDT',
      'Wed, Mar 11, 02:30 EDT',
      'Thu, Mar 12, 02:30 EDT',
    ]);
  });

  it('marks the repeated autumn hour: a fixed time runs once, an hourly job twice', async () => {
    const autumn = Date.parse('2026-10-31T12:00:00Z');
    const view = preview({ cron: '30 1 * * *', timeZone: 'America/New_York', now: autumn });
    expect((await runs()).slice(0, 2)).toEqual([
      'Sun, Nov 1, 01:30 EDT · 01:30 happens twice (DST): runs the first time only',
      'Mon, Nov 2, 01:30 EST',
    ]);
    view.rerender({
      cron: '0 * * * *',
      timeZone: 'America/New_York',
      now: Date.parse('2026-11-01T04:30:00Z'),
    });
    expect((await runs()).slice(0, 3)).toEqual([
      'Sun, Nov 1, 01:00 EDT · 01:00 happens twice (DST): runs both times',
      'Sun, Nov 1, 01:00 EST · 01:00 happens twice (DST): runs both times',
      'Sun, Nov 1, 02:00 EST',
    ]);
  });

  it('handles a 6-field expression with seconds', async () => {
    preview({ cron: '*/15 * * * * *', timeZone: 'UTC', now: NOW });
    expect(screen.getByText('Every 15 seconds')).toBeTruthy();
    expect(await runs()).toEqual([
      'Sun, Nov 29, 18:30:15 UTC',
      'Sun, Nov 29, 18:30:30 UTC',
      'Sun, Nov 29, 18:30:45 UTC',
      'Sun, Nov 29, 18:31:00 UTC',
      'Sun, Nov 29, 18:31:15 UTC',
    ]);
  });

  it('adds the year when a run falls in another year', async () => {
    preview({ cron: '@yearly', timeZone: 'UTC', now: NOW });
    expect(screen.getByText('At 00:00, on day 1 of the month, only in January')).toBeTruthy();
    expect((await runs())[0]).toBe('Fri, Jan 1 2027, 00:00 UTC');
  });

  it('renders nothing for an invalid expression, and asks nothing', async () => {
    const { container, fires } = preview({
      cron: '61 * * * *',
      timeZone: 'America/New_York',
      now: NOW,
    });
    expect(container.textContent).toBe('');
    await new Promise((r) => setTimeout(r, 20));
    expect(fires).not.toHaveBeenCalled();
  });

  it('keeps the description but no runs for an unknown zone', async () => {
    const { fires } = preview({ cron: '0 3 * * *', timeZone: 'Mars/Base', now: NOW });
    expect(screen.getByText('At 03:00')).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Next runs' })).toBeNull();
    expect(screen.getByText(/valid time zone/)).toBeTruthy();
    await new Promise((r) => setTimeout(r, 20));
    expect(fires).not.toHaveBeenCalled();
  });

  it('asks again when the props change', async () => {
    const view = preview({ cron: '0 3 * * *', timeZone: 'UTC', now: NOW });
    expect((await runs())[0]).toBe('Mon, Nov 30, 03:00 UTC');
    view.rerender({ cron: '0 3 * * *', timeZone: 'Asia/Kolkata', now: NOW });
    await waitFor(async () => expect((await runs())[0]).toBe('Mon, Nov 30, 03:00 GMT+5:30'));
    view.rerender({ cron: '0 4 * * 1-5', timeZone: 'Asia/Kolkata', now: NOW });
    expect(screen.getByText('At 04:00, Monday through Friday')).toBeTruthy();
    await waitFor(async () => expect((await runs())[0]).toBe('Mon, Nov 30, 04:00 GMT+5:30'));
    view.rerender({ cron: '0 4 * * 1-5 extra', timeZone: 'Asia/Kolkata', now: NOW });
    expect(screen.queryByRole('list')).toBeNull();
    expect(view.fires).toHaveBeenCalledTimes(3);
  });

  it('waits for typing to pause: one question for a burst of keystrokes', async () => {
    const fires = engineFires();
    const { rerender } = render(
      <CronPreview cron="0 3 * * *" timeZone="UTC" now={NOW} fires={fires} debounceMs={40} />,
    );
    for (const cron of ['0 4 * * *', '0 5 * * *', '0 6 * * *']) {
      rerender(<CronPreview cron={cron} timeZone="UTC" now={NOW} fires={fires} debounceMs={40} />);
    }
    expect((await runs())[0]).toBe('Mon, Nov 30, 06:00 UTC');
    expect(fires).toHaveBeenCalledTimes(1);
    expect(fires.mock.calls[0]?.[0]).toMatchObject({ cron: '0 6 * * *' });
  });

  it('keeps the last runs (busy) until the new answer, and drops an answer that comes late', async () => {
    const { fires, asked } = controlled();
    const engine = engineFires();
    const view = preview({ cron: '0 3 * * *', timeZone: 'UTC', now: NOW, fires });
    await waitFor(() => expect(asked).toHaveLength(1));
    asked[0]?.answer(await engine(asked[0].input));
    expect((await runs())[0]).toBe('Mon, Nov 30, 03:00 UTC');

    view.rerender({ cron: '0 4 * * *', timeZone: 'UTC', now: NOW });
    await waitFor(() => expect(asked).toHaveLength(2));
    view.rerender({ cron: '0 5 * * *', timeZone: 'UTC', now: NOW });
    await waitFor(() => expect(asked).toHaveLength(3));
    // Still the 03:00 runs, marked busy, while both questions are out.
    const list = screen.getByRole('list', { name: 'Next runs' });
    expect(list.getAttribute('aria-busy')).toBe('true');
    expect(within(list).getAllByRole('listitem')[0]?.textContent).toBe('Mon, Nov 30, 03:00 UTC');
    // The newest answer lands first; the older one, arriving after, must not replace it.
    asked[2]?.answer(await engine(asked[2].input));
    expect((await runs())[0]).toBe('Mon, Nov 30, 05:00 UTC');
    asked[1]?.answer(await engine(asked[1].input));
    await new Promise((r) => setTimeout(r, 20));
    expect((await runs())[0]).toBe('Mon, Nov 30, 05:00 UTC');
  });

  it('says why when the engine cannot answer', async () => {
    const fires = vi.fn(() =>
      Promise.reject(new ApiError('upstream_unavailable', '127.0.0.1:7878 is unreachable')),
    );
    preview({ cron: '0 3 * * *', timeZone: 'UTC', now: NOW, fires });
    await screen.findByText('The next runs could not be shown: 127.0.0.1:7878 is unreachable');
  });

  it('a random delay: the range when the offset is unknown, the offset itself with an id', async () => {
    const view = preview({ cron: '0 3 * * *', timeZone: 'UTC', now: NOW, randomDelay: 600_000 });
    await screen.findByText('Each run starts up to 10 min later (random delay).');
    expect((await runs())[0]).toBe('Mon, Nov 30, 03:00 UTC');
    view.rerender({
      cron: '0 3 * * *',
      timeZone: 'UTC',
      now: NOW,
      randomDelay: 600_000,
      scheduleId: 'sched_abc',
    });
    // The schedule's own offset, drawn from its id: in the note, and in every time shown.
    const offset = randomDelayOffset('sched_abc', 600_000);
    await screen.findByText(
      `Times include this schedule's random delay (${formatDuration(offset)}).`,
    );
    expect(view.fires).toHaveBeenLastCalledWith(
      expect.objectContaining({ random_delay: 600_000, schedule_id: 'sched_abc' }),
    );
    const first = screen.getAllByRole('listitem')[0]?.querySelector('time');
    expect(Date.parse(first?.getAttribute('datetime') ?? '')).toBe(
      Date.parse('2026-11-30T03:00:00Z') + Math.floor(offset / 1000) * 1000,
    );
  });

  it('describes macros cronstrue does not know', () => {
    expect(describeCron('@midnight')).toBe('At 00:00');
    expect(describeCron('not cron')).toBeNull();
  });
});

describe('cron presets', () => {
  it('recognises preset expressions and their times', () => {
    expect(matchPreset('30 14 * * 1-5')).toMatchObject({
      preset: { id: 'weekdays' },
      time: { hour: 14, minute: 30 },
    });
    expect(matchPreset(' 0  9 * * * ')).toMatchObject({ preset: { id: 'daily' } });
    expect(matchPreset('*/5 * * * *')).toMatchObject({ preset: { id: 'every5' } });
    expect(matchPreset('0 9 * * 1')).toMatchObject({ preset: { id: 'weekly' } });
    expect(matchPreset('0 24 * * *')).toBeNull();
    expect(matchPreset('0 9 1 * *')).toBeNull();
  });
});

describe('time zone names', () => {
  it('lists every zone Intl knows plus UTC, UTC first', async () => {
    vi.resetModules();
    const { timeZoneNames } = await import('../../src/renderer/src/components/TimeZonePicker');
    const zones = timeZoneNames();
    expect(zones[0]).toBe('UTC');
    expect(zones).toContain('Australia/Lord_Howe');
    expect(zones.length).toBeGreaterThan(300);
  });

  it('falls back to a short list without Intl.supportedValuesOf', async () => {
    const spy = vi.spyOn(Intl, 'supportedValuesOf').mockImplementation(() => {
      throw new TypeError('not supported');
    });
    try {
      vi.resetModules();
      const { timeZoneNames } = await import('../../src/renderer/src/components/TimeZonePicker');
      expect(timeZoneNames()).toEqual(
        expect.arrayContaining([
          'UTC',
          'Europe/London',
          'America/New_York',
          'Asia/Kolkata',
          'Australia/Lord_Howe',
        ]),
      );
    } finally {
      spy.mockRestore();
    }
  });
});
