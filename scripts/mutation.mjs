// `npm run test:mutation [-- --only NAME,… | --summary] [--parallel N]`: StrykerJS over
// src/core and src/shared, one run per slice of test/mutation/slices/ (a module against the
// tests about it), then one summary of every slice's latest report: the score of each file
// and of both folders, and the files no slice has measured yet.
//
// Why slices and not one Stryker run: every API test starts a server, so the whole suite
// covers almost every mutant of the service; one run re-ran hundreds of server tests per
// mutant (about ten hours on two cores). A slice runs each mutant against its own module's
// tests only, keeps its own incremental cache, and can be rerun alone in minutes.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = process.cwd();
const TARGET = 85;
const FOLDERS = ['src/core', 'src/shared'];
const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    summary: { type: 'boolean', default: false },
    parallel: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '2' },
  },
});

async function loadSlices() {
  const dir = join(root, 'test/mutation/slices');
  const slices = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .sort()) {
    const mod = await import(pathToFileURL(join(dir, file)).href);
    for (const slice of mod.default) slices.push({ ...slice, file });
  }
  const names = new Set();
  for (const s of slices) {
    if (!/^[a-z0-9-]+$/.test(s.name)) throw new Error(`${s.file}: slice name "${s.name}"`);
    if (names.has(s.name)) throw new Error(`${s.file}: slice "${s.name}" is defined twice`);
    names.add(s.name);
  }
  return slices;
}

function sourceFiles() {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) out.push(relative(root, path));
    }
  };
  for (const folder of FOLDERS) walk(join(root, folder));
  return out.sort();
}

function runSlice(slice) {
  return new Promise((resolve) => {
    const mutate = slice.mutate.join(',');
    const child = spawn('npx', ['stryker', 'run', '--mutate', mutate], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        MUTATION_SLICE: slice.name,
        MUTATION_TESTS: slice.tests.join(','),
        MUTATION_CONCURRENCY: args.concurrency,
      },
    });
    child.on('exit', (code) => resolve({ slice: slice.name, code }));
  });
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

function tally(into, mutant) {
  if (DETECTED.has(mutant.status)) into.detected += 1;
  else if (UNDETECTED.has(mutant.status)) into.undetected += 1;
  else if (mutant.status === 'Ignored') into.ignored += 1;
}

const empty = () => ({ detected: 0, undetected: 0, ignored: 0 });
const score = (t) =>
  t.detected + t.undetected === 0 ? 100 : (100 * t.detected) / (t.detected + t.undetected);
const pct = (n) => `${n.toFixed(1)} %`;

function summarise(slices) {
  const files = new Map();
  for (const slice of slices) {
    const report = join(root, 'reports/mutation/slices', slice.name, 'mutation.json');
    if (!existsSync(report)) continue;
    const json = JSON.parse(readFileSync(report, 'utf8'));
    for (const [path, file] of Object.entries(json.files)) {
      const rel = relative(root, join(root, path));
      const t = empty();
      for (const m of file.mutants) tally(t, m);
      files.set(rel, { ...t, slice: slice.name });
    }
    // Stryker leaves a file with no mutants (types only) out of its report: measured, 0 of 0.
    for (const path of slice.mutate)
      if (!files.has(path)) files.set(path, { ...empty(), slice: slice.name });
  }
  const lines = [
    '| file | slice | score | detected / mutants | ignored |',
    '| --- | --- | --- | --- | --- |',
  ];
  const unmeasured = [];
  const totals = Object.fromEntries(FOLDERS.map((f) => [f, empty()]));
  for (const path of sourceFiles()) {
    const t = files.get(path);
    if (!t) {
      unmeasured.push(path);
      continue;
    }
    const folder = FOLDERS.find((f) => path.startsWith(`${f}/`));
    for (const k of ['detected', 'undetected', 'ignored']) totals[folder][k] += t[k];
    const valid = t.detected + t.undetected;
    lines.push(
      `| \`${path}\` | ${t.slice} | ${pct(score(t))} | ${t.detected} / ${valid} | ${t.ignored} |`,
    );
  }
  lines.push('', '| folder | score | detected / mutants | target |', '| --- | --- | --- | --- |');
  for (const folder of FOLDERS) {
    const t = totals[folder];
    const missing = unmeasured.filter((p) => p.startsWith(`${folder}/`)).length;
    const mark =
      missing > 0
        ? `NOT met (${missing} files not measured)`
        : score(t) >= TARGET
          ? 'met'
          : 'NOT met';
    lines.push(
      `| \`${folder}\` | ${pct(score(t))} | ${t.detected} / ${t.detected + t.undetected} | ${TARGET} % ${mark} |`,
    );
  }
  if (unmeasured.length > 0) {
    lines.push(
      '',
      `Not measured by any slice yet (${unmeasured.length}): ${unmeasured.join(', ')}`,
    );
  }
  return { text: lines.join('\n'), unmeasured, totals };
}

async function main() {
  const slices = await loadSlices();
  const wanted = args.only ? new Set(args.only.split(',')) : null;
  for (const name of wanted ?? []) {
    if (!slices.some((s) => s.name === name)) throw new Error(`no slice named "${name}"`);
  }
  const todo = args.summary ? [] : slices.filter((s) => !wanted || wanted.has(s.name));
  const parallel = Math.max(1, Number(args.parallel));
  const failed = [];
  const queue = [...todo];
  await Promise.all(
    Array.from({ length: Math.min(parallel, queue.length) }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        const { code } = await runSlice(s);
        if (code !== 0) failed.push(s.name);
      }
    }),
  );
  const { text } = summarise(slices);
  mkdirSync(join(root, 'reports/mutation'), { recursive: true });
  writeFileSync(join(root, 'reports/mutation/summary.md'), `${text}\n`);
  console.log(`\n${text}\n\n(also in reports/mutation/summary.md)`);
  if (failed.length > 0) {
    console.error(`Stryker failed in slice(s): ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
