import { strict as assert } from 'node:assert';
import { investigate } from '../../../src/core/triage/investigation';
import { renderReport } from '../../../src/core/triage/report';
import { redact } from '../../../src/core/triage/redact';
import { trendOf } from '../../../src/core/triage/blastRadius';
import type { Evidence } from '../../../src/core/triage/evidence';

const raceEvidence: Evidence = {
  incident: {
    id: '42',
    shortId: 'CHECKOUT-API-1',
    title: 'error: new row for relation "inventory" violates check constraint "inventory_stock_check"',
    count: 1204,
    userCount: 318,
    firstSeen: '2026-11-18T09:12:00Z',
    lastSeen: '2026-11-20T11:58:00Z',
    level: 'error',
    environments: ['production'],
    firstRelease: 'checkout-api@1.4.0',
    permalink: 'http://127.0.0.1:9000/organizations/acme/issues/42/',
    series: [
      [1, 10],
      [2, 12],
      [3, 30],
      [4, 80],
      [5, 90],
      [6, 120],
    ],
  },
  event: {
    release: 'checkout-api@1.4.0',
    environment: 'production',
    exceptions: [
      {
        type: 'error',
        value: 'new row for relation "inventory" violates check constraint "inventory_stock_check"',
        frames: [{ function: 'reserveStock', filename: 'src/inventory.js', lineNo: 16, inApp: true }],
      },
    ],
    messages: ['connecting to postgres://checkout:hunter2@db.internal:5432/checkout as ops@example.com'],
  },
  failurePoint: {
    frame: { function: 'reserveStock', filename: 'src/inventory.js', lineNo: 16 },
    file: 'src/inventory.js',
    line: 16,
    column: 3,
    lineText: "  await pool.query('UPDATE inventory SET stock = stock - $1 WHERE sku = $2', [quantity, sku]);",
    excerpt: {
      startLine: 11,
      lines: [
        'async function reserveStock(sku, quantity) {',
        '  const item = await getItem(sku);',
        '  if (item.stock < quantity) {',
        '    throw new OutOfStockError(sku);',
        '  }',
        "  await pool.query('UPDATE inventory SET stock = stock - $1 WHERE sku = $2', [quantity, sku]);",
      ],
    },
  },
  commits: [
    {
      sha: 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0',
      subject: 'perf: drop the transaction and row lock from reserveStock',
      author: 'Jordan Blake',
      date: '2026-11-17T14:20:00Z',
      introducedLine: true,
      inWindow: true,
      releases: ['checkout-api@1.4.0'],
      diff: "-    const { rows } = await client.query('SELECT stock FROM inventory WHERE sku = $1 FOR UPDATE', [sku]);\n+  const item = await getItem(sku);",
    },
    {
      sha: 'b1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0',
      subject: 'Audit log for created orders',
      author: 'Maya Chen',
      date: '2026-11-08T10:00:00Z',
    },
  ],
  findings: [
    {
      ruleId: 'read-then-write',
      message: 'stock is read, checked in JavaScript, then written without a lock',
      file: 'src/inventory.js',
      line: 13,
      fix: {
        title: 'Make the update atomic',
        diff: "-  await pool.query('UPDATE inventory SET stock = stock - $1 WHERE sku = $2', [quantity, sku]);\n+  const { rowCount } = await pool.query('UPDATE inventory SET stock = stock - $1 WHERE sku = $2 AND stock >= $1', [quantity, sku]);",
      },
    },
  ],
};

describe('triage: investigation and report', () => {
  it('walks the seven steps in order, with links and what is missing', () => {
    const inv = investigate(raceEvidence, new Date('2026-11-20T12:00:00Z'));
    assert.deepEqual(
      inv.steps.map((s) => s.id),
      ['failure-point', 'recent-changes', 'bug-class', 'blast-radius', 'hotfix', 'long-term-fix', 'monitoring'],
    );
    assert.equal(inv.steps[0].status, 'found');
    assert.match(
      inv.steps[1].summary,
      /a1b2c3d "perf: drop the transaction and row lock from reserveStock" by Jordan Blake last changed the failing line/,
    );
    assert.equal(inv.candidates[0].bugClass, 'race-condition');
    assert.equal(inv.blast.trend, 'growing');
    assert.equal(inv.remediation.hotfix?.ruleId, 'read-then-write');
    assert.ok(inv.steps[4].links.some((l) => l.kind === 'apply-fix'));
    assert.match(inv.remediation.longTerm[0], /UPDATE inventory SET stock = stock - \$1 WHERE sku = \$2 AND stock >= \$1/);
    assert.match(inv.remediation.regressionTest, /50 concurrent calls of reserveStock\(\)/);
  });

  it('counts in English: one event, one user, within a minute, trend unknown', () => {
    const single = {
      ...raceEvidence.incident,
      count: 1,
      userCount: 1,
      firstSeen: '2026-11-20T11:58:00Z',
      lastSeen: '2026-11-20T11:58:00Z',
      series: undefined,
    };
    const inv = investigate({ ...raceEvidence, incident: single }, new Date('2026-11-20T12:00:00Z'));
    assert.equal(inv.steps.find((s) => s.id === 'blast-radius')?.summary, '1 event, 1 user within a minute; trend unknown');
    const md = renderReport(inv, { generatedAt: new Date('2026-11-20T12:00:00Z') });
    assert.match(md, /, 1 event affected 1 user in production/);
    assert.doesNotMatch(md, /\b1 events\b|\b1 users\b|over under a minute/);
    const many = investigate(raceEvidence, new Date('2026-11-20T12:00:00Z'));
    assert.match(many.steps.find((s) => s.id === 'blast-radius')?.summary ?? '', /^1,204 events, 318 users over 2 days; trend growing$/);
  });

  it('says what is missing and the action that gets it when evidence is thin', () => {
    const inv = investigate({ incident: raceEvidence.incident });
    const failure = inv.steps.find((s) => s.id === 'failure-point');
    assert.equal(failure?.status, 'missing');
    assert.equal(failure?.missing?.action, 'connect-sentry');
    assert.equal(inv.steps.find((s) => s.id === 'hotfix')?.status, 'missing');
  });

  it('renders a report with every section, the excerpt and the hotfix diff, and redacts secrets', () => {
    const md = renderReport(investigate(raceEvidence, new Date('2026-11-20T12:00:00Z')), {
      generatedAt: new Date('2026-11-20T12:00:00Z'),
      notes: { hotfix: 'applied at 12:10, token=sntrys_abcdefghijklmnop' },
    });
    for (const h of [
      '## Summary',
      '## Timeline',
      '## Failure point',
      '## Correlation with changes',
      '## Classification',
      '## Blast radius',
      '## Hotfix',
      '## Long-term fix and prevention',
      '## Monitoring',
      '## Open questions',
      '## Investigator notes',
    ]) {
      assert.ok(md.includes(h), `missing ${h}`);
    }
    assert.match(md, /> 16 \| {3}await pool\.query\('UPDATE inventory/);
    assert.match(md, /```diff\n-/);
    assert.ok(!md.includes('hunter2') && !md.includes('sntrys_abcdefghijklmnop'));
    assert.match(md, /Race condition \/ lost update — high confidence/);
  });
});

describe('triage: redaction', () => {
  it('removes credentials, tokens and e-mail addresses and keeps the rest', () => {
    const text = [
      'postgres://app:s3cr3t@db.prod:5432/shop',
      'Authorization: Bearer sntrys_eyJpYXQiOjE3MDAwMDAwMDB9_abcdef',
      'DATABASE_PASSWORD=letmein now',
      "host=db user=app password='p@ss word' dbname=x",
      'mail jane.doe@example.com about it',
      'https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1',
      'stock = stock - $1',
    ].join('\n');
    const out = redact(text);
    for (const secret of ['s3cr3t', 'sntrys_eyJ', 'letmein', 'p@ss word', 'jane.doe@example.com', '0123456789abcdef0123456789abcdef'])
      assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    assert.ok(out.includes('postgres://app:***@db.prod:5432/shop'));
    assert.ok(out.includes('stock = stock - $1'));
  });
});

describe('triage: trend', () => {
  const now = new Date('2026-11-20T12:00:00Z');
  it('growing, steady, declining and stopped', () => {
    assert.equal(
      trendOf(
        [
          [1, 5],
          [2, 5],
          [3, 5],
          [4, 5],
          [5, 20],
          [6, 20],
        ],
        now,
        '2026-11-20T11:59:00Z',
      ).trend,
      'growing',
    );
    assert.equal(
      trendOf(
        [
          [1, 5],
          [2, 5],
          [3, 5],
          [4, 5],
          [5, 5],
          [6, 5],
        ],
        now,
        '2026-11-20T11:59:00Z',
      ).trend,
      'steady',
    );
    assert.equal(
      trendOf(
        [
          [1, 20],
          [2, 20],
          [3, 20],
          [4, 20],
          [5, 5],
          [6, 4],
        ],
        now,
        '2026-11-20T11:59:00Z',
      ).trend,
      'declining',
    );
    assert.equal(
      trendOf(
        [
          [1, 20],
          [2, 20],
          [3, 20],
          [4, 0],
          [5, 0],
          [6, 0],
        ],
        now,
        '2026-11-19T11:59:00Z',
      ).trend,
      'stopped',
    );
  });
});
