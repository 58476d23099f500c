// @ts-nocheck
// 
// The store on disk is config.json plus its journal (recent changes): "nothing changed"
// must compare both, or a change written to the journal would go unseen.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function read(path: string): string {
  try {
    return readFileSync(path).toString('base64');
  } catch {
    return '(none)';
  }
}

export function storeBytes(dataDir: string): string {
  return `${read(join(dataDir, 'config.json'))}|${read(join(dataDir, 'config.journal'))}`;
}

/** The settings as stored on disk: config.json's, then the journal's newest change. */
export function storedSettings(dataDir: string): Record<string, unknown> {
  const text = (name: string) => {
    try {
      return readFileSync(join(dataDir, name), 'utf8');
    } catch {
      return '';
    }
  };
  let settings = (JSON.parse(text('config.json') || '{}') as { settings?: unknown }).settings;
  for (const line of text('config.journal').split('\n')) {
    if (line.trim() === '') continue;
    const op = JSON.parse(line) as { op: string; settings?: unknown };
    if (op.op === 'settings') settings = op.settings;
  }
  return (settings ?? {}) as Record<string, unknown>;
}
