// `npm run bench`: runs every bench/*.bench.ts (or the files named on the command line),
// each in its own Node process with tsx and --expose-gc so one bench's heap cannot skew
// another, prints each report as tables and saves them to test-output/bench/<name>.json.
//   npm run bench
//   npm run bench -- bench/stackIndex.bench.ts
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, '..', 'test-output', 'bench');
const MARK = '@@bench-report@@';

function benchFiles() {
  const named = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  if (named.length) return named.map((f) => resolve(f));
  return readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .map((f) => join(here, f));
}

function runChild(file) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, 'lib', 'child.mjs'), file], {
      cwd: resolve(here, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const at = out.lastIndexOf(MARK);
      const log = (at >= 0 ? out.slice(0, at) : out).trim();
      if (log) process.stdout.write(`${log}\n`);
      if (code !== 0 || at < 0) return reject(new Error(`${basename(file)} exited with ${code}${at < 0 ? ' without a report' : ''}`));
      resolvePromise(JSON.parse(out.slice(at + MARK.length)));
    });
  });
}

function printTable(table) {
  const rows = table.rows;
  if (!rows.length) return;
  const cols = Object.keys(rows[0]);
  const cells = [cols, ...rows.map((r) => cols.map((c) => String(r[c] ?? '')))];
  const widths = cols.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n  ${table.title}`);
  console.log(`  ${line(cols)}`);
  console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of cells.slice(1)) console.log(`  ${line(r)}`);
}

let failed = 0;
mkdirSync(outDir, { recursive: true });
for (const file of benchFiles()) {
  console.log(`\n== ${basename(file)}`);
  try {
    const report = await runChild(file);
    console.log(`  ${report.setup}`);
    for (const table of report.tables) printTable(table);
    if (report.summary.length) console.log('');
    for (const s of report.summary) console.log(`  => ${s}`);
    writeFileSync(
      join(outDir, `${report.name}.json`),
      JSON.stringify({ ...report, node: process.version, date: new Date().toISOString() }, null, 2),
    );
  } catch (err) {
    failed++;
    console.error(`  FAILED: ${err.message}`);
  }
}
process.exitCode = failed ? 1 : 0;
