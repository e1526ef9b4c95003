// The real CLI against events whose culprit frame leads out of the workspace: `forensics
// triage --event … --out report.md` and `forensics stack resolve --event …` must neither
// quote nor open the secret beside the workspace, and must say why the frame was refused.
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runForensics as cli } from '../harness/cli';
import { makeTempDir } from '../harness/git';
import { hostileTree, SECRET } from '../stack/hostileTree';

/** A raw event as the SDK sends it, with one in-app frame at `path`. */
function eventWithFrame(path: string): unknown {
  return {
    event_id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    timestamp: '2026-12-01T10:00:00Z',
    platform: 'node',
    release: 'checkout-api@1.4.0',
    exception: {
      values: [
        {
          type: 'Error',
          value: 'boom',
          stacktrace: { frames: [{ function: 'main', abs_path: path, filename: path, lineno: 1, colno: 1, in_app: true }] },
        },
      ],
    },
  };
}

describe('forensics triage and stack resolve: frames that lead out of the workspace', function () {
  this.timeout(120_000);
  let base: string;
  let ws: string;
  let secret: string;
  let cases: { label: string; path: string; extra?: string[] }[];

  before(() => {
    base = makeTempDir('forensics-triage-outside-');
    ({ ws, secret } = hostileTree(base));
    cases = [
      { label: 'relative ../', path: relative(ws, secret) },
      { label: 'absolute that normalises out', path: `${ws}/../outside/secret.js` },
      { label: 'path map then ..', path: '/app/../outside/secret.js', extra: ['--path-map', '/app/=./'] },
      { label: 'node_modules/../..', path: 'node_modules/../../outside/secret.js' },
      { label: 'webpack:///../', path: 'webpack:///../outside/secret.js' },
      { label: 'file symlink', path: join(ws, 'link-file.js') },
      { label: 'directory symlink', path: join(ws, 'link-dir', 'secret.js') },
    ];
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  const writeEvent = (name: string, path: string) => {
    const file = join(base, `${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(eventWithFrame(path)));
    return file;
  };

  it('triage never quotes the secret in the report or the output, and says the frame was not opened', async () => {
    for (const c of cases) {
      const out = join(base, 'reports', `${c.label.replace(/\W+/g, '-')}.md`);
      const r = await cli(['triage', '--event', writeEvent(c.label, c.path), '--workspace', ws, ...(c.extra ?? []), '--out', out]);
      assert.equal(r.code, 0, `${c.label}: ${r.err}`);
      const report = readFileSync(out, 'utf8');
      assert.ok(!report.includes(SECRET) && !r.out.includes(SECRET), `${c.label}: the secret was quoted`);
      assert.match(r.out, /workspace: the frame path .* not opened/, c.label);
      assert.match(
        report,
        /## Failure point\n\nNot resolved in the workspace: the frame path .*(outside the workspace folders|symbolic link out of the workspace folders); not opened\./,
        c.label,
      );
    }
  });

  it('triage on a build output whose source map points outside quotes the build output, never the secret', async () => {
    const out = join(base, 'reports', 'map.md');
    const r = await cli(['triage', '--event', writeEvent('map', join(ws, 'dist', 'by-sources.js')), '--workspace', ws, '--out', out]);
    assert.equal(r.code, 0, r.err);
    const report = readFileSync(out, 'utf8');
    assert.ok(!report.includes(SECRET));
    assert.match(report, /`dist\/by-sources\.js:1:1`/);
  });

  it('stack resolve refuses each frame and names no file outside', async () => {
    for (const c of cases) {
      const extra = c.extra ? ['--map', c.extra[1]] : [];
      const r = await cli(['stack', 'resolve', '--workspace', ws, '--event', writeEvent(c.label, c.path), ...extra]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /-> unresolved: the frame path .* not opened/, `${c.label}: ${r.out}`);
      assert.ok(!r.out.includes(secret) || c.path === secret, c.label);
    }
    const mapped = await cli([
      'stack',
      'resolve',
      '--workspace',
      ws,
      '--event',
      writeEvent('map', join(ws, 'dist', 'by-sources.js')),
      '--json',
    ]);
    const frame = (JSON.parse(mapped.out) as { exceptions: { frames: { file?: string; refused?: boolean; reason?: string }[] }[] })
      .exceptions[0].frames[0];
    assert.equal(frame.file, join(ws, 'dist', 'by-sources.js'));
    assert.equal(frame.refused, true);
  });

  it('a frame inside the workspace still resolves and is quoted', async () => {
    const out = join(base, 'reports', 'inside.md');
    const r = await cli(['triage', '--event', writeEvent('inside', join(ws, 'src', 'app.js')), '--workspace', ws, '--out', out]);
    assert.equal(r.code, 0, r.err);
    assert.match(readFileSync(out, 'utf8'), /function main\(\) \{/);
  });
});
