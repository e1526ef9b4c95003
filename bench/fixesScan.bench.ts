// The quick-fix rules on the labelled real-code corpus (test/unit/fixes/corpus): precision
// and recall per rule, and scan throughput (files/s) against ESLint running comparable
// core rules (async and control-flow correctness) on the same JavaScript files.
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { analyze, RULE_IDS } from '../src/core/fixes';
import { walkSources } from '../src/core/fixes/walk';
import { timeOnce, type BenchReport } from './lib/types';

interface Label {
  file: string;
  line: number;
  rule: string;
  label: string;
  found?: boolean;
}
const repo = join(__dirname, '..');
const corpus = join(repo, 'test/unit/fixes/corpus');
const labels = JSON.parse(readFileSync(join(corpus, 'labels.json'), 'utf8')) as {
  packages: string[];
  packageFindings: Label[];
  apps: Label[];
};
const CORE_RULES = [
  'require-atomic-updates',
  'no-await-in-loop',
  'no-async-promise-executor',
  'no-promise-executor-return',
  'no-unsafe-finally',
  'no-unreachable',
  'no-constant-condition',
  'no-unused-vars',
];

export async function run(): Promise<BenchReport> {
  const modules = realpathSync(join(repo, 'node_modules'));
  const files = walkSources(
    modules,
    labels.packages.map((p) => join(modules, p)),
    { useGit: false },
  ).files.filter((f) => /\.(c|m)?js$/.test(f.real) && !/syntax-error/.test(f.real));
  const texts = files.map((f) => ({ file: f.real, text: readFileSync(f.real, 'utf8') }));
  const bytes = texts.reduce((n, t) => n + t.text.length, 0);

  const ours = await timeOnce(() => texts.reduce((n, t) => n + analyze(t.text, t.file).length, 0));
  const eslint = new ESLint({
    cwd: modules,
    overrideConfigFile: true,
    ignore: false,
    overrideConfig: [
      { files: ['**/*.js', '**/*.cjs'], languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' } },
      { files: ['**/*.mjs'], languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
      { files: ['**/*.{js,cjs,mjs}'], rules: Object.fromEntries(CORE_RULES.map((r) => [r, 'warn'])) },
    ],
  });
  const theirs = await timeOnce(async () => {
    let n = 0;
    for (const t of texts) n += (await eslint.lintText(t.text, { filePath: t.file }))[0].messages.length;
    return n;
  });

  const apps = join(corpus, 'apps');
  const appFindings = walkSources(apps, [apps], { useGit: false }).files.flatMap((f) =>
    analyze(readFileSync(f.real, 'utf8'), f.real).map((x) => ({ file: f.shown, line: x.range.startLine, rule: x.ruleId })),
  );
  const key = (f: { file: string; line: number; rule: string }) => `${f.file}:${f.line} ${f.rule}`;
  const appLabels = new Map(labels.apps.map((l) => [key(l), l]));
  const rows = RULE_IDS.map((rule) => {
    const judged = [
      ...appFindings.filter((f) => f.rule === rule).map((f) => appLabels.get(key(f))?.label ?? 'unlabelled'),
      ...labels.packageFindings.filter((l) => l.rule === rule).map((l) => l.label),
    ];
    const counted = judged.filter((l) => l !== 'debatable');
    const bugs = labels.apps.filter((l) => l.rule === rule);
    const hits = bugs.filter((b) => appFindings.some((f) => key(f) === key(b))).length;
    return {
      rule,
      findings: judged.length,
      precision: counted.length ? `${Math.round((100 * counted.filter((l) => l === 'true').length) / counted.length)}%` : 'n/a',
      recall: `${hits}/${bugs.length}`,
    };
  });
  const totalHits = labels.apps.filter((b) => appFindings.some((f) => key(f) === key(b))).length;
  const rate = (count: number, msTaken: number) => `${Math.round((count * 1000) / msTaken)} files/s`;
  return {
    name: 'fixesScan',
    setup: `${files.length} JS files (${(bytes / 1e6).toFixed(1)} MB) of ${labels.packages.join(', ')} at the versions package-lock.json pins, plus the corpus apps (${labels.apps.length} labelled bug shapes)`,
    tables: [
      { title: 'precision and recall per rule (labels: test/unit/fixes/corpus/labels.json)', rows },
      {
        title: 'throughput on the same files',
        rows: [
          {
            scanner: 'forensics rules (8, Babel parse + analysis)',
            time: `${Math.round(ours.ms)} ms`,
            throughput: rate(files.length, ours.ms),
            findings: ours.value,
          },
          {
            scanner: `ESLint ${ESLint.version}, ${CORE_RULES.length} core rules`,
            time: `${Math.round(theirs.ms)} ms`,
            throughput: rate(files.length, theirs.ms),
            findings: theirs.value,
          },
        ],
      },
    ],
    summary: [
      `recall ${totalHits}/${labels.apps.length} on the apps; ${labels.packageFindings.length} findings on the packages`,
      `forensics scans at ${(theirs.ms / ours.ms).toFixed(2)}x the speed of ESLint with ${CORE_RULES.length} core rules`,
    ],
  };
}
