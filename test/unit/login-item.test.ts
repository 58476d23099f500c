import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  autostartPath,
  desktopEntry,
  getStartAtLogin,
  setStartAtLogin,
  type LoginItemDeps,
} from '../../src/main/loginItem';

let root: string;
let home: string;
let configHome: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cmdop-login-'));
  home = join(root, 'home');
  configHome = join(root, 'xdg config');
  mkdirSync(home);
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function linuxDeps(overrides: Partial<LoginItemDeps> = {}): LoginItemDeps {
  return {
    platform: 'linux',
    env: { XDG_CONFIG_HOME: configHome },
    home,
    execPath: '/opt/Cmdop Scheduler/cmdop-scheduler',
    ...overrides,
  };
}

function entryFile(): string {
  return join(configHome, 'autostart', 'cmdop-scheduler.desktop');
}

/** Every file below `dir`, so a test can prove nothing was written. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

/**
 * The Desktop Entry spec's reading of a file, written independently of the module:
 * every line is blank, a comment, a group header or key=value.
 */
function parseDesktopFile(text: string): Map<string, Map<string, string>> {
  const groups = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([^[\]]+)\]$/.exec(line);
    if (header) {
      current = new Map();
      groups.set(header[1]!, current);
      continue;
    }
    const kv = /^([A-Za-z0-9-]+(?:\[[^\]]+\])?)\s*=\s*(.*)$/.exec(line);
    if (!kv || !current) throw new Error(`not a desktop-entry line: ${JSON.stringify(line)}`);
    current.set(kv[1]!, kv[2]!);
  }
  return groups;
}

/** Exec value -> argv, per the spec: string escapes first, then quoting, then %%. */
function parseExec(value: string): string[] {
  const unescaped = value.replace(/\\([sntr\\])/g, (_m, c: string) =>
    c === 's' ? ' ' : c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : '\\',
  );
  const args: string[] = [];
  let i = 0;
  while (i < unescaped.length) {
    if (unescaped[i] === ' ') {
      i++;
      continue;
    }
    let arg = '';
    if (unescaped[i] === '"') {
      i++;
      while (unescaped[i] !== '"') {
        if (i >= unescaped.length) throw new Error('unterminated quote');
        if (unescaped[i] === '\\') {
          const next = unescaped[i + 1]!;
          if (!'"`$\\'.includes(next)) throw new Error(`bad escape \\${next}`);
          arg += next;
          i += 2;
        } else arg += unescaped[i++];
      }
      i++;
    } else {
      while (i < unescaped.length && unescaped[i] !== ' ') {
        if (/[\t\n"'\\><~|&;$*?#()`]/.test(unescaped[i]!)) {
          throw new Error(`reserved character ${unescaped[i]} outside quotes`);
        }
        arg += unescaped[i++];
      }
    }
    if (/%[^%]/.test(arg.replace(/%%/g, ''))) throw new Error(`field code in ${arg}`);
    args.push(arg.replace(/%%/g, '%'));
  }
  return args;
}

describe('autostartPath', () => {
  it('lives under $XDG_CONFIG_HOME/autostart', () => {
    expect(autostartPath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u')).toBe(
      '/x/cfg/autostart/cmdop-scheduler.desktop',
    );
  });

  it('falls back to <home>/.config when XDG_CONFIG_HOME is unset, empty or relative', () => {
    const fallback = '/home/u/.config/autostart/cmdop-scheduler.desktop';
    expect(autostartPath({}, '/home/u')).toBe(fallback);
    expect(autostartPath({ XDG_CONFIG_HOME: '' }, '/home/u')).toBe(fallback);
    expect(autostartPath({ XDG_CONFIG_HOME: 'relative/cfg' }, '/home/u')).toBe(fallback);
  });
});

describe('desktopEntry', () => {
  it('is a valid desktop entry with the keys autostart needs', () => {
    const text = desktopEntry('/usr/bin/cmdop-scheduler');
    const groups = parseDesktopFile(text);
    expect([...groups.keys()]).toEqual(['Desktop Entry']);
    const entry = groups.get('Desktop Entry')!;
    expect(entry.get('Type')).toBe('Application');
    expect(entry.get('Name')).toBe('Cmdop Scheduler');
    expect(entry.get('Comment')).toBeTruthy();
    expect(entry.get('Icon')).toBe('cmdop-scheduler');
    expect(entry.get('Terminal')).toBe('false');
    expect(entry.get('X-GNOME-Autostart-enabled')).toBe('true');
    expect(entry.get('Exec')).toBe('/usr/bin/cmdop-scheduler --hidden');
    expect(entry.has('Hidden')).toBe(false);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('quotes a path with spaces', () => {
    const entry = parseDesktopFile(desktopEntry('/opt/Cmdop Scheduler/cmdop-scheduler'));
    expect(entry.get('Desktop Entry')!.get('Exec')).toBe(
      '"/opt/Cmdop Scheduler/cmdop-scheduler" --hidden',
    );
  });

  it.each([
    '/opt/Cmdop Scheduler/cmdop-scheduler',
    '/home/u/Apps/it\'s "quoted"/app',
    '/home/u/$HOME/`whoami`/back\\slash/app',
    '/home/u/100% done/a;b&c|d<e>f~g*h?i#j(k)/app',
    '/home/u/tab\there/app',
    '/home/u/plain-path_1.2/app.AppImage',
  ])('Exec reads back as [%j, --hidden]', (exec) => {
    const value = parseDesktopFile(desktopEntry(exec)).get('Desktop Entry')!.get('Exec')!;
    expect(parseExec(value)).toEqual([exec, '--hidden']);
  });

  it('writes a literal backslash inside quotes as four backslashes, as the spec requires', () => {
    const value = parseDesktopFile(desktopEntry('/a b\\c')).get('Desktop Entry')!.get('Exec');
    expect(value).toBe('"/a b\\\\\\\\c" --hidden');
  });
});

describe('start at login on Linux (XDG autostart, real files)', () => {
  it('enabling writes the entry with a quoted Exec and mode 0644, and reads back as on', () => {
    const deps = linuxDeps();
    expect(getStartAtLogin(deps)).toBe(false);

    setStartAtLogin(true, deps);

    const text = readFileSync(entryFile(), 'utf8');
    expect(text).toBe(desktopEntry('/opt/Cmdop Scheduler/cmdop-scheduler'));
    expect(text).toContain('Exec="/opt/Cmdop Scheduler/cmdop-scheduler" --hidden\n');
    expect(statSync(entryFile()).mode & 0o777).toBe(0o644);
    expect(getStartAtLogin(deps)).toBe(true);
    // The atomic write leaves no temp file behind for the session to trip over.
    expect(readdirSync(join(configHome, 'autostart'))).toEqual(['cmdop-scheduler.desktop']);
  });

  it('writes mode 0644 even under a restrictive umask', () => {
    const previous = process.umask(0o077);
    try {
      setStartAtLogin(true, linuxDeps());
    } finally {
      process.umask(previous);
    }
    expect(statSync(entryFile()).mode & 0o777).toBe(0o644);
  });

  it('enabling twice rewrites the same file', () => {
    const deps = linuxDeps();
    setStartAtLogin(true, deps);
    setStartAtLogin(true, { ...deps, execPath: '/usr/bin/moved' });
    expect(readFileSync(entryFile(), 'utf8')).toContain('Exec=/usr/bin/moved --hidden\n');
    expect(readdirSync(join(configHome, 'autostart'))).toEqual(['cmdop-scheduler.desktop']);
  });

  it('disabling removes the entry and is idempotent', () => {
    const deps = linuxDeps();
    setStartAtLogin(true, deps);
    setStartAtLogin(false, deps);
    expect(existsSync(entryFile())).toBe(false);
    expect(getStartAtLogin(deps)).toBe(false);
    expect(() => setStartAtLogin(false, deps)).not.toThrow();
    expect(existsSync(entryFile())).toBe(false);
  });

  it('disabling when the autostart directory never existed is a no-op', () => {
    expect(() => setStartAtLogin(false, linuxDeps())).not.toThrow();
    expect(existsSync(configHome)).toBe(false);
  });

  it('falls back to <home>/.config when XDG_CONFIG_HOME is unset', () => {
    const deps = linuxDeps({ env: {} });
    setStartAtLogin(true, deps);
    const file = join(home, '.config', 'autostart', 'cmdop-scheduler.desktop');
    expect(existsSync(file)).toBe(true);
    expect(getStartAtLogin(deps)).toBe(true);
    expect(existsSync(configHome)).toBe(false);
    setStartAtLogin(false, deps);
    expect(existsSync(file)).toBe(false);
  });

  it('prefers the AppImage path over the (per-launch mount) exec path', () => {
    setStartAtLogin(
      true,
      linuxDeps({
        execPath: '/tmp/.mount_CmdopXyZ/cmdop-scheduler',
        appImagePath: '/home/u/Apps/Cmdop Scheduler-0.1.0.AppImage',
      }),
    );
    expect(readFileSync(entryFile(), 'utf8')).toContain(
      'Exec="/home/u/Apps/Cmdop Scheduler-0.1.0.AppImage" --hidden\n',
    );
  });

  it('ignores an empty APPIMAGE', () => {
    setStartAtLogin(true, linuxDeps({ execPath: '/usr/bin/cmdop-scheduler', appImagePath: '' }));
    expect(readFileSync(entryFile(), 'utf8')).toContain('Exec=/usr/bin/cmdop-scheduler --hidden\n');
  });

  it('reads an entry switched off by the desktop (Hidden=true or GNOME flag) as off', () => {
    const deps = linuxDeps();
    mkdirSync(join(configHome, 'autostart'), { recursive: true });
    writeFileSync(entryFile(), desktopEntry('/usr/bin/x') + 'Hidden=true\n');
    expect(getStartAtLogin(deps)).toBe(false);
    writeFileSync(
      entryFile(),
      desktopEntry('/usr/bin/x').replace(
        'X-GNOME-Autostart-enabled=true',
        'X-GNOME-Autostart-enabled=false',
      ),
    );
    expect(getStartAtLogin(deps)).toBe(false);
    // Turning it on again replaces the switched-off entry with ours.
    setStartAtLogin(true, deps);
    expect(getStartAtLogin(deps)).toBe(true);
  });

  it('reads a file that is not a desktop entry as off', () => {
    mkdirSync(join(configHome, 'autostart'), { recursive: true });
    writeFileSync(entryFile(), 'not a desktop file\n');
    expect(getStartAtLogin(linuxDeps())).toBe(false);
    writeFileSync(entryFile(), '');
    expect(getStartAtLogin(linuxDeps())).toBe(false);
  });
});

describe.each(['darwin', 'win32'] as const)('start at login on %s (Electron API)', (platform) => {
  function electronDeps(openAtLogin = false) {
    const setLoginItemSettings = vi.fn();
    const getLoginItemSettings = vi.fn(() => ({ openAtLogin }));
    const deps: LoginItemDeps = {
      platform,
      env: { XDG_CONFIG_HOME: configHome },
      home,
      execPath: 'C:\\Program Files\\Cmdop Scheduler\\Cmdop Scheduler.exe',
      setLoginItemSettings,
      getLoginItemSettings,
    };
    return { deps, setLoginItemSettings, getLoginItemSettings };
  }

  it('passes the setting to setLoginItemSettings and never touches the filesystem', () => {
    const { deps, setLoginItemSettings } = electronDeps();
    setStartAtLogin(true, deps);
    setStartAtLogin(false, deps);
    expect(setLoginItemSettings.mock.calls).toEqual([
      [{ openAtLogin: true, openAsHidden: true, args: ['--hidden'] }],
      [{ openAtLogin: false, openAsHidden: true, args: ['--hidden'] }],
    ]);
    expect(existsSync(configHome)).toBe(false);
    expect(filesUnder(home)).toEqual([]);
  });

  it('reads the setting back with the same args (Windows matches on them)', () => {
    const on = electronDeps(true);
    expect(getStartAtLogin(on.deps)).toBe(true);
    expect(on.getLoginItemSettings).toHaveBeenCalledWith({ args: ['--hidden'] });
    expect(getStartAtLogin(electronDeps(false).deps)).toBe(false);
  });

  it('ignores an XDG autostart file that happens to exist', () => {
    mkdirSync(join(configHome, 'autostart'), { recursive: true });
    writeFileSync(entryFile(), desktopEntry('/usr/bin/x'));
    expect(getStartAtLogin(electronDeps(false).deps)).toBe(false);
  });

  it('refuses to guess when the Electron API was not passed in', () => {
    const { deps } = electronDeps();
    const bare: LoginItemDeps = { ...deps, setLoginItemSettings: undefined };
    expect(() => setStartAtLogin(true, bare)).toThrow(/setLoginItemSettings/);
    expect(getStartAtLogin({ ...deps, getLoginItemSettings: undefined })).toBe(false);
    expect(existsSync(configHome)).toBe(false);
  });
});
