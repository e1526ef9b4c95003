// One measurement of the profile bench in a child process of its own (peak RSS = its maxRSS):
//   node --import tsx bench/lib/profileMeasure.ts <method> <file.cpuprofile> <workspace>
// Prints `@@measure@@{"ms":…,"peakRssMb":…,"detail":…}`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { codeMapper } from '../../src/core/profiles/codeMap';
import { readProfileFile } from '../../src/core/profiles/readProfile';
import { profileReport } from '../../src/core/profiles/report';
import { WorkspaceIndex } from '../../src/core/stack/workspaceIndex';
import { runMeasured } from './measureChild';

export { MEASURE_MARK } from './measureChild';
export const METHODS = ['ours', 'json', 'speedscope'] as const;
export type Method = (typeof METHODS)[number];
export const profilePeersDir = join(__dirname, '..', 'profilePeers');

// The members of speedscope's API used here, as its library.d.ts declares them.
interface SpeedscopeProfile {
  getTotalWeight(): number;
}
interface Speedscope {
  importFromChromeCPUProfile(profile: unknown): SpeedscopeProfile;
}

async function perform(method: Method, file: string, workspace: string): Promise<string> {
  switch (method) {
    case 'ours': {
      // Everything `forensics profile show` does: load and check, self/total per function, and the top 20 mapped to file:line.
      const folders = [{ name: basename(workspace), path: workspace }];
      const mapper = codeMapper({ index: await WorkspaceIndex.build(folders), folders });
      const report = await profileReport(await readProfileFile(file), mapper, 20);
      if (report.kind !== 'cpu') throw new Error('expected a CPU profile');
      const mapped = report.bottomUp.filter((f) => f.location).length;
      return `${report.sampleCount} samples; top self ${report.bottomUp[0]?.name} ${report.bottomUp[0]?.selfPercent}%; ${mapped}/${report.bottomUp.length} mapped to file:line`;
    }
    case 'json': {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { nodes: unknown[] };
      return `${json.nodes.length} nodes (parse only)`;
    }
    case 'speedscope': {
      // speedscope's Chrome importer builds its call-tree profile (frames, weights) from the parsed JSON.
      const speedscope = createRequire(join(profilePeersDir, 'package.json'))('@elg/speedscope') as Speedscope;
      const profile = speedscope.importFromChromeCPUProfile(JSON.parse(readFileSync(file, 'utf8')));
      return `total weight ${Math.round(profile.getTotalWeight() / 1000)} ms (no file:line mapping)`;
    }
  }
}

if (require.main === module) runMeasured(([method, file, workspace]) => perform(method as Method, file!, workspace!));
