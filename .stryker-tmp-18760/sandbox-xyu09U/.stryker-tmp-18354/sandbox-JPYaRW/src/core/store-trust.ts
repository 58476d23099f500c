// @ts-nocheck
// 
// Whether config.json is the very file this app wrote and validated. Validating 10,000
// stored schedules with the API's rules costs ~0.2 s at every start; a file that has not
// changed since a version of the app with the same rules and zone data validated it need not
// be validated again. Any edit (a hand edit, another version's write), an upgrade of the app
// (new rules, a new cron parser) or new zone data changes the key, and the next start
// validates in full, as before.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { version as APP_VERSION } from '../../package.json';
import { writePrivateAtomic } from './private-fs';

export const TRUST_FILE = 'config.valid';
/**
 * Bump whenever the rules or the shape of a stored schedule change (a new field with a
 * default, a stricter check), or files validated under the old rules would load unchecked.
 * 2: run policies (retries, random delay, shell, env file, pause, battery).
 */
const RULES_VERSION = 2;
const ZONE_DATA = `${process.versions.icu ?? ''}/${process.versions.tz ?? ''}`;

export function digestOf(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

function key(digest: string): string {
  return `${RULES_VERSION}/${APP_VERSION}/${ZONE_DATA}/${digest}`;
}

export function isTrusted(dataDir: string, digest: string): boolean {
  try {
    return readFileSync(join(dataDir, TRUST_FILE), 'utf8') === key(digest);
  } catch {
    return false;
  }
}

/** Records config.json (as it is on disk now) as validated. Only a cache: errors are ignored. */
export function trustCurrent(dataDir: string, storePath: string): void {
  try {
    writePrivateAtomic(join(dataDir, TRUST_FILE), key(digestOf(readFileSync(storePath))));
  } catch {
    // The next start validates in full.
  }
}
