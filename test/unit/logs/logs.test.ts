import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { recordFromJson, recordFromText } from '../../../src/core/logs/record';
import { MAX_LINE, scanLogFile, type LogFilter } from '../../../src/core/logs/read';
import { LogSummarizer, templateOf } from '../../../src/core/logs/summary';
import type { LogRecord } from '../../../src/core/logs/record';
import { makeTempDir } from '../harness/git';
import { referencePath } from '../../support/reference';

const REF = referencePath();
const lines = (p: string) =>
  readFileSync(join(REF, p), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);

async function scan(path: string, filter: LogFilter = {}) {
  const records: LogRecord[] = [];
  const stats = await scanLogFile(path, filter, (r) => records.push(r));
  return { records, stats };
}

describe('logs: records, streaming, templates', () => {
  const dir = makeTempDir('forensics-logs-');
  const write = (name: string, text: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reads each logger’s line as the docs show it: pino, bunyan, winston/logform, Sentry Logs rows', () => {
    const [p] = lines('logs/pino__README__usage-output.ndjson').map((l, i) => recordFromJson(l, i + 1)!);
    assert.deepEqual([p.format, p.level, p.message, typeof p.time], ['pino', 'info', 'hello world', 'number']);
    const perr = recordFromJson(lines('logs/pino__docs-api__error-serialization.ndjson')[0], 1)!;
    assert.equal(perr.level, 'info');
    assert.equal(perr.error?.stack, '...');
    const b = lines('logs/bunyan__README__hi-output.ndjson').map((l, i) => recordFromJson(l, i + 1)!);
    assert.deepEqual(
      b.map((r) => [r.format, r.level]),
      [
        ['bunyan', 'info'],
        ['bunyan', 'warn'],
      ],
    );
    assert.equal(b[0].time, Date.parse((lines('logs/bunyan__README__hi-output.ndjson')[0] as { time: string }).time));
    const w = recordFromJson(lines('logs/winston__README__format-json-output.ndjson')[0], 1)!;
    assert.deepEqual([w.format, w.level, w.message, w.time], ['winston', 'error', 'Public error to share', undefined]);
    const lf = recordFromJson(lines('logs/logform__README__combine-timestamp-json-output.ndjson')[0], 1)!;
    assert.equal(lf.time, Date.parse('2018-10-02T15:03:14.230Z'));
    const rows = (
      JSON.parse(readFileSync(join(REF, 'sentry/traces-logs/sentry-cli__get-logs.json'), 'utf8')) as { data: unknown[] }
    ).data.map((r) => recordFromJson(r, 0)!);
    assert.deepEqual(
      rows.map((r) => [r.traceId, r.level, r.message]),
      [
        ['test-trace-id-abc123', 'info', 'test_log_message_001'],
        ['test-trace-id-def456', 'error', 'test_error_message_002'],
        ['test-trace-id-ghi789', 'warn', 'test_warning_message_003'],
      ],
    );
  });

  it('text lines: timestamps and levels, Node’s own warning line, continuations', () => {
    const r = recordFromText('2024-05-01 10:00:00,123 ERROR payment failed trace_id=0123456789abcdef0123456789abcdef request_id=req-7', 1)!;
    assert.equal(r.time, Date.parse('2024-05-01T10:00:00.123'));
    assert.equal(r.level, 'error');
    assert.equal(r.traceId, '0123456789abcdef0123456789abcdef');
    assert.equal(r.requestId, 'req-7');
    const w = recordFromText(
      '(node:4242) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 price listeners added to [EventEmitter]. MaxListeners is 10.',
      2,
    )!;
    assert.deepEqual([w.level, w.error?.type], ['warn', 'MaxListenersExceededWarning']);
    assert.equal(recordFromText('    at handleConnection (/app/src/prices.js:13:10)', 3), undefined);
  });

  it('streams real pino output, a mixed file with a cut last line, a trace id window and a time window', async () => {
    const pinoFile = join(dir, 'pino.log');
    const logger = pino({ base: { service: 'hooks' } }, pino.destination({ dest: pinoFile, sync: true }));
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    for (let i = 0; i < 30; i++)
      logger.warn(
        { webhook_id: `wh_${i % 3}`, trace_id: i < 10 ? trace : undefined, attempt: i },
        `webhook wh_${i % 3} delivery failed: 503 (attempt ${i})`,
      );
    logger.info('done');
    const all = await scan(pinoFile);
    assert.equal(all.records.length, 31);
    assert.deepEqual(all.stats.formats, { pino: 31 });
    assert.deepEqual(all.stats.notes, []);
    const byTrace = await scan(pinoFile, { traceId: trace.toUpperCase() });
    assert.equal(byTrace.records.length, 10);
    const text = readFileSync(pinoFile, 'utf8');
    const mixed = write(
      'mixed.log',
      [
        '2026-01-01T10:00:00Z INFO started',
        '2026-01-01T10:00:01Z ERROR boom',
        'Error: boom',
        '    at run (/app/src/a.js:3:9)',
        text.split('\n')[0],
        'garbage line with no time',
        '{"level":30,"time":1767261602000,"msg":"cut',
      ].join('\n'),
    );
    const m = await scan(mixed);
    // started, boom (with its stack), the pino line; the garbage and the cut line are not records.
    assert.equal(m.records.length, 3);
    assert.equal(m.stats.unparsed, 2);
    assert.match(m.records[1].message, /boom\nError: boom\n {4}at run/);
    assert.match(m.stats.notes.join('\n'), /the last line is cut short/);
    assert.match(m.stats.notes.join('\n'), /mixed formats: 2 text, 1 pino/);
    const windowed = await scan(mixed, { since: Date.parse('2026-01-01T10:00:01Z'), until: Date.parse('2026-01-01T10:00:01Z') });
    assert.deepEqual(
      windowed.records.map((r) => r.message.split('\n')[0]),
      ['boom'],
    );
  });

  it('cuts a line longer than 1 MB and goes on', async () => {
    const long = write('long.log', `{"level":30,"time":1,"msg":"${'x'.repeat(MAX_LINE + 10)}"}\n{"level":30,"time":2,"msg":"after"}\n`);
    const r = await scan(long);
    assert.equal(r.records[r.records.length - 1].message, 'after');
    assert.match(r.stats.notes.join('\n'), /1 line\(s\) longer than 1 MB were cut/);
  });

  it('groups by template with distinct keys, surfaces warnings with their stack, redacts secrets', () => {
    const s = new LogSummarizer();
    for (let i = 0; i < 12; i++)
      s.add(
        recordFromJson(
          { level: 40, time: 1000 + i, msg: `webhook wh_${i % 2} delivery failed: 503 (attempt ${i})`, webhook_id: `wh_${i % 2}` },
          i + 1,
        )!,
      );
    s.add(
      recordFromJson(
        { level: 50, time: 2000, msg: 'db connect failed postgres://app:hunter2@db:5432/app with token=abcdef0123456789' },
        13,
      )!,
    );
    const warning = new Error(
      'Possible EventEmitter memory leak detected. 11 price listeners added to [EventEmitter]. MaxListeners is 10.',
    );
    warning.name = 'MaxListenersExceededWarning';
    s.add(
      recordFromJson(
        { level: 40, time: 3000, msg: warning.message, err: { type: 'Error', message: warning.message, stack: warning.stack } },
        14,
      )!,
    );
    const out = s.summary();
    const [top] = out.templates;
    assert.equal(top.template, 'webhook <id> delivery failed: <n> (attempt <n>)');
    assert.equal(top.count, 12);
    assert.deepEqual(
      top.keys.find((k) => k.name === 'webhook_id'),
      {
        name: 'webhook_id',
        distinct: 2,
        top: [
          { value: 'wh_0', count: 6 },
          { value: 'wh_1', count: 6 },
        ],
        capped: undefined,
      },
    );
    assert.equal(out.warnings[0].type, 'MaxListenersExceededWarning');
    assert.match(out.warnings[0].stack!, /^MaxListenersExceededWarning: Possible/);
    const json = JSON.stringify(out);
    assert.ok(!json.includes('hunter2') && !json.includes('abcdef0123456789'), json);
    assert.equal(templateOf('user 3f2b8c1e-1111-4222-8333-444455556666 paid 12.5 EUR').template, 'user <uuid> paid <n> EUR');
  });

  it('bad input: a missing file and a folder are clear errors', async () => {
    await assert.rejects(scan(join(dir, 'nope.log')), /nope\.log: no such file/);
    await assert.rejects(scan(dir), /is a folder, not a log file/);
  });
});
