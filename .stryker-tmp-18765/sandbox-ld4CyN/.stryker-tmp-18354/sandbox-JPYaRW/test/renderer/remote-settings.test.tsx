// @ts-nocheck
// 
// @vitest-environment happy-dom
// The Cmdop connection form: status, live URL validation, the write-only token, testing,
// saving, disconnecting, and the read-only state when the CLI owns the connection.
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/shared/errors';
import type {
  AppSettings,
  RemoteStatus,
  RemoteTestInput,
  RemoteTestResult,
  SettingsPatchInput,
} from '../../src/shared/settings';
import type { AppApi } from '../../src/renderer/src/api/types';
import { createAppStore } from '../../src/renderer/src/store/app';
import { AppProvider } from '../../src/renderer/src/store/context';
import { RemoteSettings } from '../../src/renderer/src/views/RemoteSettings';

function settingsWith(remote: Partial<RemoteStatus> = {}): AppSettings {
  return {
    notifications: { muted: false },
    history: { max_runs: 1000, max_age_days: 90 },
    paused: false,
    paused_until: null,
    local_api: { enabled: false, port: 7878 },
    remote: {
      url: null,
      token_set: false,
      source: 'settings',
      connected: false,
      token_encrypted: false,
      token_unreadable: null,
      ...remote,
    },
    server: { mode: 'tray', url: null, token: null, token_source: null },
    start_at_login: false,
    storage: { ok: true, problem: null },
  };
}

function setup(remote: Partial<RemoteStatus> = {}, over: Partial<AppApi> = {}) {
  let current = settingsWith(remote);
  const updateSettings = vi.fn<(patch: SettingsPatchInput) => Promise<AppSettings>>((patch) => {
    // Mimic the server: a token in the patch sets it, null clears it, a URL is stored.
    const next = { ...current.remote };
    if (patch.remote?.url !== undefined) next.url = patch.remote.url;
    if (patch.remote?.token !== undefined) next.token_set = patch.remote.token !== null;
    current = { ...current, remote: next };
    return Promise.resolve(current);
  });
  const testRemote = vi.fn<(input?: RemoteTestInput) => Promise<RemoteTestResult>>(() =>
    Promise.resolve({ ok: true, message: 'Connected: 3 machines', machines: 3 }),
  );
  const api = { updateSettings, testRemote, ...over } as unknown as AppApi;
  const store = createAppStore(api);
  store.setState({ settings: current });
  const user = userEvent.setup();
  render(
    <AppProvider store={store} api={api} transport="ipc">
      <RemoteSettings />
    </AppProvider>,
  );
  return { user, store, updateSettings, testRemote };
}

const urlInput = () => screen.getByLabelText('API URL') as HTMLInputElement;
const tokenInput = () => screen.getByLabelText('API token') as HTMLInputElement;
const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

afterEach(cleanup);

describe('RemoteSettings', () => {
  it('renders the status and explains what the connection is for', () => {
    setup({
      url: 'https://cmdop.example.com/v1',
      token_set: true,
      connected: true,
      token_encrypted: true,
    });
    expect(screen.getByText(/other machines' schedules appear beside/)).toBeTruthy();
    expect(screen.getByText('Connected to cmdop.example.com')).toBeTruthy();
    expect(screen.getByText(/token encrypted with the OS keychain/)).toBeTruthy();
    expect(urlInput().value).toBe('https://cmdop.example.com/v1');
    expect(button('Disconnect')).toBeTruthy();
  });

  it('says not connected, with no default URL (only a placeholder) and no Disconnect', () => {
    setup();
    expect(screen.getByText('Not connected')).toBeTruthy();
    expect(screen.queryByText(/token encrypted/)).toBeNull();
    expect(screen.queryByText(/file only you can read/)).toBeNull();
    expect(urlInput().value).toBe('');
    expect(urlInput().placeholder).toBe('https://HOST/api/v1');
    expect(screen.getByText(/Cmdop's cloud \(https:\/\/api.cmdop.com\/v1\)/)).toBeTruthy();
    expect(tokenInput().placeholder).toBe('Paste your Cmdop API token');
    expect(screen.queryByRole('button', { name: 'Disconnect' })).toBeNull();
    // Nothing typed yet: nothing to save.
    expect(button('Save connection').disabled).toBe(true);
  });

  it('says a token without a keychain is a plain file, never that it is encrypted', () => {
    setup({ token_set: true, connected: true, token_encrypted: false });
    expect(screen.getByText(/token kept in a file only you can read/)).toBeTruthy();
    expect(screen.queryByText(/encrypted/)).toBeNull();
  });

  it('asks for the token again when the saved one cannot be read here', () => {
    setup({ token_set: false, token_unreadable: 'enter the token again.' });
    expect(screen.getByRole('alert').textContent).toContain('enter the token again.');
  });

  it('never prefills the write-only token', () => {
    setup({ token_set: true, connected: true });
    expect(tokenInput().value).toBe('');
    expect(tokenInput().type).toBe('password');
    expect(tokenInput().getAttribute('autocomplete')).toBe('off');
    expect(tokenInput().placeholder).toBe('•••• saved');
  });

  it('shows a bad URL as it is typed and disables Save', async () => {
    const { user } = setup();
    await user.type(urlInput(), 'http://cmdop.example.com');
    expect(screen.getByText(/must use https/)).toBeTruthy();
    expect(urlInput().getAttribute('aria-invalid')).toBe('true');
    expect(button('Save connection').disabled).toBe(true);
    await user.clear(urlInput());
    await user.type(urlInput(), 'https://cmdop.example.com/v1');
    expect(screen.queryByText(/must use https/)).toBeNull();
    expect(button('Save connection').disabled).toBe(false);
  });

  it('saves the URL without a token when none is typed', async () => {
    const { user, updateSettings } = setup();
    await user.type(urlInput(), 'https://cmdop.example.com/v1');
    await user.click(button('Save connection'));
    expect(updateSettings).toHaveBeenCalledWith({
      remote: { url: 'https://cmdop.example.com/v1' },
    });
    expect(updateSettings.mock.calls[0]?.[0].remote).not.toHaveProperty('token');
  });

  it('saves a typed token (empty URL meaning the default) and clears the field', async () => {
    const { user, updateSettings } = setup();
    await user.type(tokenInput(), 'secret-token');
    await user.click(button('Save connection'));
    expect(updateSettings).toHaveBeenCalledWith({ remote: { url: null, token: 'secret-token' } });
    await waitFor(() => expect(tokenInput().value).toBe(''));
    // The store now says a token is saved; the field still shows none of it.
    expect(tokenInput().placeholder).toBe('•••• saved');
    expect(button('Save connection').disabled).toBe(true);
  });

  it('puts server field errors under their fields', async () => {
    const { user } = setup(
      {},
      {
        updateSettings: () =>
          Promise.reject(ApiError.invalid({ 'remote.token': 'rejected by Cmdop' }, 'settings')),
      },
    );
    await user.type(tokenInput(), 'bad');
    await user.click(button('Save connection'));
    expect(await screen.findByText('rejected by Cmdop')).toBeTruthy();
    // A failed save keeps what was typed.
    expect(tokenInput().value).toBe('bad');
  });

  it('tests the saved connection when nothing is typed, and shows the result', async () => {
    const { user, testRemote } = setup({ token_set: true });
    await user.click(button('Test connection'));
    expect(testRemote).toHaveBeenCalledWith();
    const status = screen.getByRole('status');
    await waitFor(() => expect(status.textContent).toBe('Connected: 3 machines'));
    expect(status.className).toContain('ok');
  });

  it('tests the typed URL and token, showing a failure in red', async () => {
    const testRemote = vi.fn<(input?: RemoteTestInput) => Promise<RemoteTestResult>>(() =>
      Promise.resolve({ ok: false, message: 'Cmdop refused the token' }),
    );
    const { user } = setup({}, { testRemote });
    await user.type(urlInput(), 'https://cmdop.example.com/v1');
    await user.type(tokenInput(), 'tok');
    await user.click(button('Test connection'));
    const status = screen.getByRole('status');
    await waitFor(() => expect(status.textContent).toBe('Cmdop refused the token'));
    expect(status.className).toContain('failed');
    expect(testRemote).toHaveBeenCalledWith({ url: 'https://cmdop.example.com/v1', token: 'tok' });
  });

  it('offers the URL a bare address was found at, and saves that one', async () => {
    const testRemote = vi.fn<(input?: RemoteTestInput) => Promise<RemoteTestResult>>(() =>
      Promise.resolve({
        ok: true,
        message: 'Connected to a self-hosted Cmdop at https://cmdop.example.com/api/v1: 2 machines',
        kind: 'self-hosted',
        url: 'https://cmdop.example.com/api/v1',
      }),
    );
    const { user, updateSettings } = setup({}, { testRemote });
    await user.type(urlInput(), 'https://cmdop.example.com');
    await user.click(button('Test connection'));
    await user.click(
      await screen.findByRole('button', { name: 'Use https://cmdop.example.com/api/v1' }),
    );
    expect(urlInput().value).toBe('https://cmdop.example.com/api/v1');
    await user.click(button('Save connection'));
    expect(updateSettings).toHaveBeenCalledWith({
      remote: { url: 'https://cmdop.example.com/api/v1' },
    });
  });

  it('disables Test connection while a test runs', async () => {
    let finish: (r: RemoteTestResult) => void = () => {};
    const { user } = setup(
      {},
      { testRemote: () => new Promise<RemoteTestResult>((resolve) => (finish = resolve)) },
    );
    await user.click(button('Test connection'));
    expect(button('Testing…').disabled).toBe(true);
    await act(async () => finish({ ok: true, message: 'ok' }));
    expect(button('Test connection').disabled).toBe(false);
  });

  it('asks before removing the token, then clears it', async () => {
    const { user, store, updateSettings } = setup({ token_set: true, connected: true });
    await user.click(button('Disconnect'));
    const confirm = store.getState().confirm;
    expect(confirm?.title).toBe('Remove the saved Cmdop API token?');
    expect(updateSettings).not.toHaveBeenCalled();
    await act(async () => {
      await confirm?.onConfirm();
    });
    expect(updateSettings).toHaveBeenCalledWith({ remote: { token: null } });
    expect(screen.queryByRole('button', { name: 'Disconnect' })).toBeNull();
  });

  it('is read-only when the CLI set the connection', () => {
    setup({
      source: 'cli',
      url: 'https://cmdop.example.com/v1',
      token_set: true,
      connected: true,
    });
    expect(
      screen.getByText('Set by --remote-url / CMDOP_API_TOKEN when the server started'),
    ).toBeTruthy();
    expect(urlInput().disabled).toBe(true);
    expect(tokenInput().disabled).toBe(true);
    expect(button('Save connection').disabled).toBe(true);
    expect(button('Disconnect').disabled).toBe(true);
    // Testing writes nothing, so the active connection can still be checked.
    expect(button('Test connection').disabled).toBe(false);
  });
});
