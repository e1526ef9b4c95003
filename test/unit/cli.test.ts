import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { runCli, CliError, type CliCommand } from '../../src/cli/framework';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { io: { stdout, stderr, stdin: new PassThrough(), env: {}, cwd: process.cwd() }, out: () => out, err: () => err };
}

const echo: CliCommand = {
  path: ['demo', 'echo'],
  summary: 'Echoes its word.',
  usage: 'WORD [--upper]',
  options: { upper: { type: 'boolean' } },
  maxPositionals: 1,
  async run({ values, positionals, io }) {
    if (!positionals[0]) throw new CliError('missing WORD', 2);
    io.stdout.write(`${values.upper ? positionals[0].toUpperCase() : positionals[0]}\n`);
    return 0;
  },
};

describe('cli framework', () => {
  it('routes words to a command and parses its options', async () => {
    const c = capture();
    assert.equal(await runCli([echo], ['demo', 'echo', 'hi', '--upper'], c.io, '1.0.0'), 0);
    assert.equal(c.out(), 'HI\n');
  });

  it('fails with one line and a usage exit code on unknown options and commands', async () => {
    const c = capture();
    assert.equal(await runCli([echo], ['demo', 'echo', 'hi', '--nope'], c.io, '1.0.0'), 2);
    assert.match(c.err(), /^forensics: .*--nope.*\n$/);
    const d = capture();
    assert.equal(await runCli([echo], ['nothing'], d.io, '1.0.0'), 2);
    assert.match(d.err(), /unknown command "nothing"/);
  });

  it('turns a CliError into its exit code and a single line', async () => {
    const c = capture();
    assert.equal(await runCli([echo], ['demo', 'echo'], c.io, '1.0.0'), 2);
    assert.equal(c.err(), 'forensics: missing WORD\n');
  });

  it('prints help and version', async () => {
    const c = capture();
    assert.equal(await runCli([echo], ['--help'], c.io, '1.2.3'), 0);
    assert.match(c.out(), /forensics demo echo WORD \[--upper\]/);
    const v = capture();
    assert.equal(await runCli([echo], ['--version'], v.io, '1.2.3'), 0);
    assert.equal(v.out(), '1.2.3\n');
  });
});
