// The e2e harness: import from here in specs (test/e2e/specs/*.e2e.ts).
export { e2eEnvironment, type E2eEnvironment } from './environment';
export {
  BASE_SETTINGS,
  freePort,
  sharedCodeServer,
  startCodeServer,
  type CodeServer,
  type CodeServerOptions,
  type Settings,
} from './codeServer';
export { sharedBrowser, CHROMIUM_ARGS } from './browser';
export { Workbench, type OpenWorkbenchOptions } from './workbench';
export { demoOrTempWorkspace, workspaceFolder } from './workspace';
