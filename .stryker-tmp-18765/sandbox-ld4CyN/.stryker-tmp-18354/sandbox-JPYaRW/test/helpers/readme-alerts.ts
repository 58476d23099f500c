// @ts-nocheck
// 
// The curl commands of the README's "Alerts" section, read as a user would copy them, and run
// with real curl against a local receiver: the tests hold the documented payloads to what a
// real run sends.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CurlExample {
  /** The whole command, continuation lines and all, as it stands in the README. */
  command: string;
  /** The first https:// address in it: where it sends. */
  url: string;
  /** The -d '…' body, parsed, or null for a GET. */
  body: any;
}

export function alertsSection(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('\n## Alerts\n');
  if (start < 0) throw new Error('README: no "## Alerts" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The fenced blocks of one language in the section (``` or ````). */
export function codeBlocks(lang: string): string[] {
  const fence = new RegExp('^(`{3,})' + lang + '\\n([\\s\\S]*?)^\\1$', 'gm');
  return [...alertsSection().matchAll(fence)].map((m) => m[2] as string);
}

/** Each curl command of the section's sh blocks that sends to an https:// address. */
export function curlExamples(): CurlExample[] {
  const out: CurlExample[] = [];
  for (const block of codeBlocks('sh')) {
    let command = '';
    for (const line of block.split('\n')) {
      if (command === '' && !line.startsWith('curl ')) continue;
      command += `${command ? '\n' : ''}${line}`;
      const openQuote = (command.match(/'/g)?.length ?? 0) % 2 === 1;
      if (openQuote || line.endsWith('\\')) continue;
      const url = /^curl [^\n]*?(https:\/\/[^\s'"]+)/.exec(command)?.[1];
      const data = /-d '([^']*)'/.exec(command)?.[1];
      if (url) out.push({ command, url, body: data === undefined ? null : JSON.parse(data) });
      command = '';
    }
  }
  return out;
}

/** Runs a README command with real curl (`sh -c`), its address's `from` swapped for `to`. */
export async function runCurl(example: CurlExample, from: string, to: string): Promise<void> {
  if (!example.command.includes(from)) throw new Error(`${from} is not in ${example.command}`);
  await run('sh', ['-c', example.command.replaceAll(from, to)], { timeout: 15_000 });
}

/** What a JSON value is made of: its keys, all the way down, and the type of each leaf. */
export function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape(v)]),
    );
  }
  return typeof value;
}
