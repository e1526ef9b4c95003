// The real-code corpus: real npm packages at the versions package-lock.json pins (in
// node_modules after npm ci; nothing downloaded or committed here) and small apps written
// with the bug shapes incidents show. Every finding must be labelled in corpus/labels.json;
// a new unlabelled finding or one labelled false fails. Prints precision and recall per rule.
import { strict as assert } from 'node:assert';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_IDS } from '../../../src/core/fixes';
import { scan } from '../../../src/core/fixes/scan';

interface Label {
  file: string;
  line: number;
  rule: string;
  label: 'true' | 'false' | 'debatable';
  found?: boolean;
  shape?: string;
}
const corpus = join(__dirname, 'corpus');
const labels = JSON.parse(readFileSync(join(corpus, 'labels.json'), 'utf8')) as {
  packages: string[];
  packageFindings: Label[];
  apps: Label[];
};
const key = (f: { file: string; line: number; rule: string }) => `${f.file}:${f.line} ${f.rule}`;

function findingsUnder(root: string, paths: string[]): { file: string; line: number; rule: string }[] {
  const result = scan(
    root,
    paths.map((p) => join(root, p)),
    {},
    { useGit: false },
  );
  // The packages ship deliberately broken fixtures for their own parser tests.
  assert.deepEqual(
    result.unparsable.filter((u) => !/syntax-error/.test(u.file)),
    [],
    'every corpus file parses',
  );
  return result.files.flatMap((f) => f.findings.map((x) => ({ file: f.file, line: x.range.startLine, rule: x.ruleId })));
}

describe('the real-code corpus', function () {
  this.timeout(180_000);

  it('every finding on the pinned packages is labelled, and none is false', () => {
    const root = realpathSync(join(__dirname, '..', '..', '..', 'node_modules'));
    const found = findingsUnder(root, labels.packages);
    const labelled = new Map(labels.packageFindings.map((l) => [key(l), l]));
    assert.deepEqual(found.filter((f) => !labelled.has(key(f))).map(key), [], 'unlabelled findings: judge them in corpus/labels.json');
    assert.deepEqual(found.filter((f) => labelled.get(key(f))?.label === 'false').map(key), [], 'false findings');
  });

  it('on the apps: finds what labels.json says it finds, nothing unlabelled; precision and recall per rule', () => {
    const root = join(corpus, 'apps');
    const found = findingsUnder(root, ['.']);
    const labelled = new Map(labels.apps.map((l) => [key(l), l]));
    assert.deepEqual(
      found.filter((f) => labelled.get(key(f))?.label !== 'true').map(key),
      [],
      'findings on the apps that are not labelled true',
    );
    const foundKeys = new Set(found.map(key));
    assert.deepEqual(
      labels.apps.filter((l) => !!l.found !== foundKeys.has(key(l))).map(key),
      [],
      'recall changed: update "found" in labels.json',
    );
    const packageFindings = labels.packageFindings;
    const rows = RULE_IDS.map((rule) => {
      const mine = [
        ...found.filter((f) => f.rule === rule).map((f) => labelled.get(key(f))!.label),
        ...packageFindings.filter((l) => l.rule === rule).map((l) => l.label),
      ];
      const judged = mine.filter((l) => l !== 'debatable');
      const bugs = labels.apps.filter((l) => l.rule === rule);
      const precision = judged.length ? `${Math.round((100 * judged.filter((l) => l === 'true').length) / judged.length)}%` : 'n/a';
      return `  ${rule.padEnd(18)} precision ${precision.padStart(4)} (${mine.length} findings)   recall ${bugs.filter((b) => b.found).length}/${bugs.length}`;
    });
    console.log(`    corpus: ${labels.packages.join(', ')} + apps\n${rows.join('\n')}`);
  });
});
