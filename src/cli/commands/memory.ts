// `forensics memory watch`: samples heap used/total and RSS once a second for N seconds,
// read-only, and says whether memory grows steadily, saws back to its baseline, or stays
// flat, with the slope. `--fail-on-slope MB_PER_MIN` exits 3 above it (for CI load tests).
import { watchMemory } from '../../core/profiles/memoryWatch';
import { CliError, stringOption, type CliCommand } from '../framework';
import { positiveNumber, recordingSeconds, withCleanStop } from './profile';

const GATE_EXIT = 3;

const watch: CliCommand = {
  path: ['memory', 'watch'],
  summary:
    'Samples the heap (used, total), RSS and the collections seen, every second for N seconds, without pausing or changing the process; fits the slope (MB/min, least squares on the heap after collections) and says "steady growth", "sawtooth that returns to baseline" or "flat". --fail-on-slope MB_PER_MIN exits 3 above it.',
  usage: '--inspect HOST:PORT --seconds N [--interval-ms MS] [--target ID] [--json] [--fail-on-slope MB_PER_MIN]',
  options: {
    inspect: { type: 'string' },
    seconds: { type: 'string' },
    'interval-ms': { type: 'string' },
    target: { type: 'string' },
    json: { type: 'boolean' },
    'fail-on-slope': { type: 'string' },
  },
  async run({ values, io }) {
    const seconds = recordingSeconds(values);
    const intervalMs = positiveNumber(values, 'interval-ms', 1000);
    const gateText = stringOption(values, 'fail-on-slope');
    const gate = gateText === undefined ? undefined : Number(gateText);
    if (gate !== undefined && !Number.isFinite(gate)) throw new CliError(`--fail-on-slope takes MB per minute, got "${gateText}"`, 2);
    const result = await withCleanStop(io, 'memory watch', (signal) =>
      watchMemory({ address: stringOption(values, 'inspect'), targetId: stringOption(values, 'target'), seconds, intervalMs, signal }),
    );
    const { trend } = result;
    if (values.json)
      io.stdout.write(`${JSON.stringify({ target: result.target.title, trend, samples: result.samples, notes: result.notes }, null, 2)}\n`);
    else {
      io.stdout.write(`${trend.summary}\n`);
      io.stdout.write(
        `slope ${trend.slopeMBPerMin} MB/min after collections, ${trend.rawSlopeMBPerMin} MB/min through all samples${trend.rssSlopeMBPerMin !== undefined ? `, RSS ${trend.rssSlopeMBPerMin} MB/min` : ''}\n`,
      );
      for (const n of result.notes) io.stdout.write(`note: ${n}\n`);
    }
    if (gate !== undefined && trend.slopeMBPerMin > gate) {
      io.stderr.write(`forensics: memory grows ${trend.slopeMBPerMin} MB/min, above --fail-on-slope ${gate} MB/min (${trend.verdict})\n`);
      return GATE_EXIT;
    }
    return 0;
  },
};

export const memoryCommands: CliCommand[] = [watch];
