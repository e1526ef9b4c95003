// Types for TypeScript callers (the demo launcher) of ensureCodeServer.mjs.
export interface CodeServerInstall {
  /** The Node 24 binary that runs code-server. */
  node: string;
  /** code-server's entry script (run it with `node`). */
  entry: string;
  version: string;
  nodeVersion: string;
}
export const CODE_SERVER_VERSION: string;
export const cacheDir: string;
export function ensureCodeServer(): Promise<CodeServerInstall>;
