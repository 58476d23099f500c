// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CronPreview, describeCron } from '../../src/renderer/src/components/CronPreview';
import { matchPreset } from '../../src/renderer/src/components/cronPresets';

const NOW = Date.parse('2026-11-29T18:30:00Z');

afterEach(cleanup);

function runs(): string[] {
  const list = screen.getByRole('list', { name: 'Next runs' });
  return within(list)
    .getAllByRole('listitem')
    .map((li) => li.textContent ?? '');
}

describe('CronPreview', () => {
  it('describes the expression and lists the next 5 runs in the zone', () => {
    render(<CronPreview cron="0 3 * * *" timeZone="America/New_York" now={NOW} />);
    expect(screen.getByText('At 03:00')).toBeTruthy();
    expect(runs()).toEqual([
      'Mon, Nov 30, 03:00 EST',
      'Tue, Dec 1, 03:00 EST',
      'Wed, Dec 2, 03:00 EST',
      'Thu, Dec 3, 03:00 EST',
      'Fri, Dec 4, 03:00 EST',
    ]);
    // The machine-readable instant is UTC: 03:00 EST is 08:00Z.
    const first = screen.getAllByRole('listitem')[0]?.querySelector('time');
    expect(first?.getAttribute('datetime')).toBe('2026-11-30T08:00:00.000Z');
  });

  it('moves a fire in the spring-forward gap to after the jump', () => {
    render(
      <CronPreview
        cron="30 2 * * *"
        timeZone="America/New_York"
        now={Date.parse('2026-03-07T12:00:00Z')}
      />,
    );
    expect(screen.getByText('At 02:30')).toBeTruthy();
    expect(runs()).toEqual([
      'Sun, Mar 8, 03:30 EDT',
      'Mon, Mar 9, 02:30 EDT',
      'Tue, Mar 10, 02:30 EDT',
      'Wed, Mar 11, 02:30 EDT',
      'Thu, Mar 12, 02:30 EDT',
    ]);
  });

  it('handles a 6-field expression with seconds', () => {
    render(<CronPreview cron="*/15 * * * * *" timeZone="UTC" now={NOW} />);
    expect(screen.getByText('Every 15 seconds')).toBeTruthy();
    expect(runs()).toEqual([
      'Sun, Nov 29, 18:30:15 UTC',
      'Sun, Nov 29, 18:30:30 UTC',
      'Sun, Nov 29, 18:30:45 UTC',
      'Sun, Nov 29, 18:31:00 UTC',
      'Sun, Nov 29, 18:31:15 UTC',
    ]);
  });

  it('adds the year when a run falls in another year', () => {
    render(<CronPreview cron="@yearly" timeZone="UTC" now={NOW} />);
    expect(screen.getByText('At 00:00, on day 1 of the month, only in January')).toBeTruthy();
    expect(runs()[0]).toBe('Fri, Jan 1 2027, 00:00 UTC');
  });

  it('renders nothing for an invalid expression', () => {
    const { container } = render(
      <CronPreview cron="61 * * * *" timeZone="America/New_York" now={NOW} />,
    );
    expect(container.textContent).toBe('');
    expect(screen.queryByRole('list', { name: 'Next runs' })).toBeNull();
  });

  it('keeps the description but no runs for an unknown zone', () => {
    render(<CronPreview cron="0 3 * * *" timeZone="Mars/Base" now={NOW} />);
    expect(screen.getByText('At 03:00')).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Next runs' })).toBeNull();
    expect(screen.getByText(/valid time zone/)).toBeTruthy();
  });

  it('recomputes when the props change', () => {
    const { rerender } = render(<CronPreview cron="0 3 * * *" timeZone="UTC" now={NOW} />);
    expect(runs()[0]).toBe('Mon, Nov 30, 03:00 UTC');
    rerender(<CronPreview cron="0 3 * * *" timeZone="Asia/Kolkata" now={NOW} />);
    expect(runs()[0]).toBe('Mon, Nov 30, 03:00 GMT+5:30');
    rerender(<CronPreview cron="0 4 * * 1-5" timeZone="Asia/Kolkata" now={NOW} />);
    expect(screen.getByText('At 04:00, Monday through Friday')).toBeTruthy();
    expect(runs()).toHaveLength(5);
    rerender(<CronPreview cron="0 4 * * 1-5 extra" timeZone="Asia/Kolkata" now={NOW} />);
    expect(screen.queryByRole('list')).toBeNull();
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
