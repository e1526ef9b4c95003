// The TypeScript service of the profile tests, built once per run by esbuild into a temp
// workspace (source and linked source map beside the output), then started as a real Node
// process with its inspector on a kernel-picked port.
import { buildSync } from 'esbuild';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../harness/git';
import { startInspected, type InspectedProcess } from '../heap/nodeProcess';

export type ServiceMode = 'parse' | 'leak' | 'steady';

export interface ServiceWorkspace {
  root: string;
  source: string;
  script: string;
  /** 1-based line of the first line of the source containing `text`. */
  lineOf(text: string): number;
}

export function buildServiceWorkspace(): ServiceWorkspace {
  const root = makeTempDir('forensics-profile-ws-');
  cpSync(join(__dirname, 'fixtures', 'service'), root, { recursive: true });
  const source = join(root, 'src', 'orders.ts');
  const script = join(root, 'dist', 'orders.js');
  buildSync({
    entryPoints: [source],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    sourcemap: 'linked',
    logLevel: 'silent',
  });
  const lines = readFileSync(source, 'utf8').split('\n');
  return {
    root,
    source,
    script,
    lineOf(text) {
      const at = lines.findIndex((l) => l.includes(text));
      if (at < 0) throw new Error(`"${text}" is not in ${source}`);
      return at + 1;
    },
  };
}

export function startService(ws: ServiceWorkspace, mode: ServiceMode): Promise<InspectedProcess> {
  return startInspected(ws.script, [mode]);
}

/** The tick count the event loop reports: it answers only if the process runs unpaused. */
export async function ticks(app: InspectedProcess): Promise<number> {
  const answer = await Promise.race([
    app.command('ping'),
    new Promise<string>((_r, reject) => setTimeout(() => reject(new Error('the service did not answer within 3 s (paused?)')), 3000)),
  ]);
  const m = /^ok (\d+)$/.exec(answer);
  if (!m) throw new Error(`unexpected answer "${answer}"`);
  return Number(m[1]);
}

/** Resolves when a debugger session attaches to the service (Node says "Debugger attached." on its stderr). */
export function whenAttached(app: InspectedProcess): Promise<void> {
  return new Promise((resolve) => {
    const onData = (d: Buffer): void => {
      if (!d.toString().includes('Debugger attached')) return;
      app.child.stderr.off('data', onData);
      resolve();
    };
    app.child.stderr.on('data', onData);
  });
}
