// A workspace beside a real secret, with every way a path could lead out of it: for the
// containment tests of the resolver, the triage report and `forensics changes`.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Plain words, so that no redaction rule could hide them if the file were quoted. */
export const SECRET = 'the outside file was quoted here';

/** A workspace `ws` beside `outside/` (the secret) and `ws-evil/` (a name sharing its prefix). */
export function hostileTree(base: string) {
  const ws = join(base, 'ws');
  const outside = join(base, 'outside');
  const secret = join(outside, 'secret.js');
  const put = (file: string, text: string) => {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  };
  put(secret, `const words = '${SECRET}';\nthrow new Error(words);\n`);
  put(join(outside, 'dir', 'secret.js'), `// ${SECRET}\n`);
  put(join(base, 'ws-evil', 'secret.js'), `// ${SECRET}\n`);
  put(join(ws, 'src', 'app.js'), 'function main() {\n  throw new Error("boom");\n}\nmain();\n');
  put(join(ws, 'lib', 'inner.js'), 'module.exports = 1;\n');
  put(join(ws, 'node_modules', 'pkg', 'index.js'), 'module.exports = 2;\n');
  symlinkSync(secret, join(ws, 'link-file.js'));
  symlinkSync(join(outside, 'dir'), join(ws, 'link-dir'));
  symlinkSync(join(ws, 'src', 'app.js'), join(ws, 'inside-link.js'));
  // Build outputs whose maps lead out: by `sources`, by an absolute `sourceRoot`, above their
  // own `sourceRoot`, and a map file that is itself outside.
  const map = (sources: string[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({ version: 3, file: 'x.js', sources, names: [], mappings: 'AAAA;AACA', ...extra });
  put(join(ws, 'dist', 'by-sources.js'), 'throw 1;\n//# sourceMappingURL=by-sources.js.map\n');
  put(join(ws, 'dist', 'by-sources.js.map'), map([relative(join(ws, 'dist'), secret)]));
  put(join(ws, 'dist', 'by-root.js'), 'throw 1;\n//# sourceMappingURL=by-root.js.map\n');
  put(join(ws, 'dist', 'by-root.js.map'), map(['secret.js'], { sourceRoot: `file://${outside}` }));
  put(join(ws, 'dist', 'above-root.js'), 'throw 1;\n//# sourceMappingURL=above-root.js.map\n');
  put(join(ws, 'dist', 'above-root.js.map'), map(['../../lib/inner.js'], { sourceRoot: 'src' }));
  put(join(outside, 'far.js.map'), map([relative(outside, join(ws, 'src', 'app.js'))]));
  put(join(ws, 'dist', 'far.js'), `throw 1;\n//# sourceMappingURL=${relative(join(ws, 'dist'), join(outside, 'far.js.map'))}\n`);
  put(join(ws, 'dist', 'good.js'), 'throw 1;\n//# sourceMappingURL=good.js.map\n');
  put(join(ws, 'dist', 'good.js.map'), map(['app.js'], { sourceRoot: '../src' }));
  return { ws, outside, secret };
}
