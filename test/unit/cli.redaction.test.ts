// Secrets never come back out of the CLI: an unknown command or a stray argument echoes
// what was typed, an error may quote a URL, and `heap processes` shows other programs'
// command lines. All of it passes one redacting choke point; the process list is redacted
// at its source, argument by argument. Checked through the real command table and a real
// process started with a password on its command line.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { runForensics } from './harness/cli';
import { redactArgv, redactSecrets } from '../../src/core/common/redactSecrets';

const SECRETS = [
  'hunter2-url',
  'pw-redis',
  'amqp-secret',
  'mongo@secret',
  'http-pass',
  'tok-flag-1',
  'tok-flag-2',
  'pw with space',
  'sntrys_envtokenvalue123',
  'bearer-secret-value',
  '0123456789abcdef0123456789abcdef',
];

function assertNoSecret(text: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `"${s}" leaked into: ${text}`);
}

describe('cli: secrets are redacted from everything printed', function () {
  this.timeout(30_000);

  it('redactSecrets hides credentials of every URL scheme, secret flags, env assignments, DSN keys and bearer tokens', () => {
    const cases: [string, string][] = [
      ['postgres://u:hunter2-url@db:5432/shop', 'postgres://u:***@db:5432/shop'],
      ['postgresql://u:hunter2-url@db/shop', 'postgresql://u:***@db/shop'],
      ['redis://:pw-redis@cache:6379/0', 'redis://:***@cache:6379/0'],
      ['amqp://guest:amqp-secret@mq:5672/', 'amqp://guest:***@mq:5672/'],
      ['mongodb+srv://admin:mongo@secret@cluster0.example.net/db', 'mongodb+srv://admin:***@cluster0.example.net/db'],
      ['https://me:http-pass@git.example.com/x.git', 'https://me:***@git.example.com/x.git'],
      ['https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1', 'https://***@o1.ingest.sentry.io/1'],
      ['--token tok-flag-1 --json', '--token *** --json'],
      ['--token=tok-flag-2', '--token=***'],
      ['--db-password "pw with space" next', '--db-password *** next'],
      ['SENTRY_AUTH_TOKEN=sntrys_envtokenvalue123 forensics', 'SENTRY_AUTH_TOKEN=*** forensics'],
      ['Authorization: Bearer bearer-secret-value', 'Authorization: Bearer ***'],
      ['{"token": "abc", "n": 1}', '{"token": "***", "n": 1}'],
    ];
    for (const [input, expected] of cases) assert.equal(redactSecrets(input), expected, input);
    // Precision: what is not a secret stays as typed.
    for (const kept of [
      'postgres://app@db/shop',
      '--author jane --base-url https://sentry.io/ --org acme',
      'unknown option --nope',
      'jane@example.com',
      '--token --json',
    ])
      assert.equal(redactSecrets(kept), kept);
    assert.deepEqual(redactArgv(['node', 'app.js', '--password', 'pw with space', '--port', '80']), [
      'node',
      'app.js',
      '--password',
      '***',
      '--port',
      '80',
    ]);
  });

  it('an unknown command does not echo the password of the URL it was given, nor a --token value', async () => {
    const r = await runForensics([
      'db',
      'statment',
      '--url',
      'postgres://u:hunter2-url@db.internal:5432/shop',
      '--token',
      'tok-flag-1',
      '--api-key=tok-flag-2',
    ]);
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /^forensics: unknown command "db statment --url postgres:\/\/u:\*\*\*@db\.internal:5432\/shop --token \*\*\* --api-key=\*\*\*"/,
    );
    assertNoSecret(r.err + r.out);
  });

  it('a stray argument and a failing command are redacted too (the choke point, not each message)', async () => {
    const stray = await runForensics(['heap', 'processes', 'redis://:pw-redis@cache:6379']);
    assert.equal(stray.code, 2);
    assert.match(stray.err, /unexpected argument "redis:\/\/:\*\*\*@cache:6379"/);
    // The command's own error quotes the --event path it could not read.
    const failing = await runForensics(['triage', '--event', 'amqp://guest:amqp-secret@mq/x.json']);
    assert.equal(failing.code, 2);
    assert.match(failing.err, /--event amqp:\/\/guest:\*\*\*@mq\/x\.json: no such file/);
    assertNoSecret(stray.err + failing.err);
  });

  describe('heap processes', () => {
    let child: ChildProcess;
    before(async () => {
      // A real Node process whose command line holds a password, a URL with credentials, a
      // token flag and an env-style assignment, the way services are started.
      child = spawn(
        process.execPath,
        [
          '-e',
          'setInterval(() => {}, 1000); console.log("up")',
          '--',
          '--password',
          'pw with space',
          'postgres://app:hunter2-url@db/shop',
          '--token=tok-flag-2',
          'SENTRY_AUTH_TOKEN=sntrys_envtokenvalue123',
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    });
    after(() => {
      child.kill('SIGKILL');
    });

    it('lists the process with its command line redacted, in text and JSON', async () => {
      const text = await runForensics(['heap', 'processes']);
      assert.equal(text.code, 0, text.err);
      const line = text.out.split('\n').find((l) => l.trimStart().startsWith(`${child.pid} `));
      assert.ok(line, `pid ${child.pid} not listed:\n${text.out}`);
      assert.match(line, /--password \*\*\* postgres:\/\/app:\*\*\*/);
      const json = await runForensics(['heap', 'processes', '--json']);
      const listed = (JSON.parse(json.out) as { pid: number; commandLine: string }[]).find((p) => p.pid === child.pid);
      assert.ok(listed);
      assert.match(listed.commandLine, /--password \*\*\* postgres:\/\/app:\*\*\*@db\/shop --token=\*\*\* SENTRY_AUTH_TOKEN=\*\*\*$/);
      assertNoSecret(text.out + json.out);
    });
  });
});
