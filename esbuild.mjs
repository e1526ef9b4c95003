// Builds the targets: the extension host bundle (Node, CJS, `vscode` external),
// the `forensics` CLI, the ESLint plugin, and the webview panels (browser). Worker-thread entry points
// (`src/**/*.worker.ts`) are bundled beside the extension so heavy work runs off the
// extension host's main thread in production exactly as it does in tests.
//   node esbuild.mjs            one production build
//   node esbuild.mjs --watch    rebuild on change
//   node esbuild.mjs --dev      with source maps, unminified
import * as esbuild from 'esbuild';
import { readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { join, relative, basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const watch = process.argv.includes('--watch');
const dev = watch || process.argv.includes('--dev');

function walk(dir, accept, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, accept, out);
    else if (accept(full)) out.push(full);
  }
  return out;
}

const workerEntries = walk(join(root, 'src'), (f) => f.endsWith('.worker.ts'));
const webviewEntries = readdirSync(join(root, 'webview'))
  .map((name) => join(root, 'webview', name, 'main.ts'))
  .filter((f) => existsSync(f));

const common = {
  bundle: true,
  sourcemap: dev ? 'linked' : false,
  minify: !dev,
  logLevel: 'info',
  legalComments: 'none',
};

/** @type {esbuild.BuildOptions[]} */
const targets = [
  {
    ...common,
    entryPoints: { extension: join(root, 'src/extension.ts') },
    outdir: join(root, 'dist'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { cli: join(root, 'src/cli/main.ts') },
    outdir: join(root, 'dist'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The quick-fix rules as an ESLint plugin: `require('…/dist/eslint-plugin.js')` is the plugin object.
    ...common,
    entryPoints: { 'eslint-plugin': join(root, 'src/eslint-plugin/index.ts') },
    outdir: join(root, 'dist'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['eslint'],
    footer: { js: 'module.exports = Object.assign(module.exports.default, { default: module.exports.default });' },
  },
  ...(workerEntries.length
    ? [
        {
          ...common,
          entryPoints: Object.fromEntries(workerEntries.map((f) => [basename(f, '.ts'), f])),
          outdir: join(root, 'dist/workers'),
          platform: 'node',
          format: 'cjs',
          target: 'node20',
        },
      ]
    : []),
  ...(webviewEntries.length
    ? [
        {
          ...common,
          entryPoints: Object.fromEntries(webviewEntries.map((f) => [basename(dirname(f)), f])),
          outdir: join(root, 'dist/webview'),
          platform: 'browser',
          format: 'iife',
          target: 'es2022',
          loader: { '.css': 'text' },
        },
      ]
    : []),
];

if (!watch) rmSync(join(root, 'dist'), { recursive: true, force: true });
if (watch) {
  for (const t of targets) (await esbuild.context(t)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  console.log(`built ${targets.length} targets into ${relative(process.cwd(), join(root, 'dist')) || 'dist'}`);
}
