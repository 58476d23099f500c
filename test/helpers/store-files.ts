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
