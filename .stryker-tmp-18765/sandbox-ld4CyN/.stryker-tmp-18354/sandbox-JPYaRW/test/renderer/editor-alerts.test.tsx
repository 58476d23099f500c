// @ts-nocheck
// 
// @vitest-environment happy-dom
// The alerts section of the editor: the webhook, its format and the ping URL go inside
// `notify`, a schedule without them stays Cmdop's plain notify, the plain-http rule is
// shown under the field, and "Send test" tries the values as typed and says what came back.
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NotifyTestResult } from '../../src/shared/alerts-api';
import type { Schedule } from '../../src/shared/types';
import { SCHEDULE, errorText, field, fillRequired, saveButton, setup } from './editor-fixtures';

afterEach(cleanup);

const testButton = () => screen.getByRole('button', { name: 'Send test' }) as HTMLButtonElement;

describe('EditorDialog: alerts', () => {
  it('a new schedule without alerts sends Cmdop notify; with them, inside notify', async () => {
    const plain = setup();
    await fillRequired(plain.user);
    await plain.user.click(saveButton());
    expect(plain.onSave.mock.calls[0]?.[0]).toMatchObject({
      notify: { on_success: false, on_failure: true },
    });
    expect(Object.keys((plain.onSave.mock.calls[0]?.[0] as { notify: object }).notify)).toEqual([
      'on_success',
      'on_failure',
    ]);
    cleanup();

    const { user, onSave } = setup();
    await fillRequired(user);
    await user.type(field('Webhook URL'), 'https://hooks.slack.com/services/T0/B0/x');
    await user.selectOptions(field('Webhook format'), 'slack');
    await user.type(field('Ping URL'), 'https://hc-ping.com/uuid');
    // Nothing saved yet: nothing to test against.
    expect(testButton().disabled).toBe(true);
    expect(screen.getByText('A test can be sent once the schedule is saved.')).toBeTruthy();
    await user.click(saveButton());
    expect(onSave.mock.calls[0]?.[0]).toMatchObject({
      notify: {
        on_success: false,
        on_failure: true,
        webhook_url: 'https://hooks.slack.com/services/T0/B0/x',
        webhook_format: 'slack',
        ping_url: 'https://hc-ping.com/uuid',
        allow_http: false,
      },
    });
  });

  it('shows the plain-http rule under the field until allowed', async () => {
    const { user, onSave } = setup();
    await fillRequired(user);
    await user.type(field('Webhook URL'), 'http://192.168.1.9/hook');
    await user.click(saveButton());
    expect(errorText('webhook_url')).toMatch(/^plain http is only sent to this machine/);
    expect(onSave).not.toHaveBeenCalled();
    await user.click(field('Allow plain http to other machines'));
    await user.click(saveButton());
    expect(onSave.mock.calls[0]?.[0]).toMatchObject({
      notify: { webhook_url: 'http://192.168.1.9/hook', allow_http: true },
    });
  });

  it('clearing the alerts of a schedule that had them sends the nulls', async () => {
    const initial: Schedule = {
      ...SCHEDULE,
      notify: { on_success: false, on_failure: true, ping_url: 'https://hc-ping.com/u' },
    };
    const { user, onSave } = setup({ mode: 'edit', initial });
    expect(field('Ping URL').value).toBe('https://hc-ping.com/u');
    await user.clear(field('Ping URL'));
    await user.click(saveButton());
    expect(onSave.mock.calls[0]?.[0]).toEqual({
      notify: {
        on_success: false,
        on_failure: true,
        webhook_url: null,
        webhook_format: 'json',
        ping_url: null,
        allow_http: false,
      },
    });
  });

  it('Send test tries the values as typed and says what each receiver answered', async () => {
    const result: NotifyTestResult = {
      ok: false,
      results: [
        {
          channel: 'webhook',
          url: 'https://hooks.slack.com/…',
          ok: true,
          status_code: 200,
          error: null,
        },
        {
          channel: 'ping',
          url: 'https://hc-ping.com/…/log',
          ok: false,
          status_code: 404,
          error: 'HTTP 404: not found',
        },
      ],
    };
    const onTestAlerts = vi.fn(async () => result);
    const { user, onSave } = setup({ mode: 'edit', initial: SCHEDULE, onTestAlerts });
    expect(testButton().disabled).toBe(true); // nothing to test yet
    await user.type(field('Webhook URL'), 'https://hooks.slack.com/services/T0/B0/x');
    await user.type(field('Ping URL'), 'https://hc-ping.com/uuid');
    await user.click(testButton());
    expect(onTestAlerts).toHaveBeenCalledWith({
      webhook_url: 'https://hooks.slack.com/services/T0/B0/x',
      webhook_format: 'json',
      ping_url: 'https://hc-ping.com/uuid',
      allow_http: false,
    });
    expect(
      await screen.findByText(
        'Webhook: delivered (HTTP 200). Ping: not delivered — HTTP 404: not found.',
      ),
    ).toBeTruthy();
    // A test saves nothing.
    expect(onSave).not.toHaveBeenCalled();
  });
});
