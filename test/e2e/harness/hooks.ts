// Mocha root hooks for the e2e suite (loaded with --require by run.mjs): a screenshot of
// every open workbench when a test fails, and everything shut down at the end.
import type { Context } from 'mocha';
import { closeSharedBrowser } from './browser';
import { stopSharedCodeServer } from './codeServer';
import { Workbench } from './workbench';

export const mochaHooks = {
  async afterEach(this: Context): Promise<void> {
    const test = this.currentTest;
    if (test?.state !== 'failed') return;
    for (const [index, workbench] of Workbench.openWorkbenches().entries()) {
      const path = await workbench.screenshot(`failed-${test.fullTitle()}${index ? `-${index}` : ''}`).catch(() => undefined);
      if (path) console.log(`    screenshot of the failure: ${path}`);
    }
  },
  async afterAll(): Promise<void> {
    for (const workbench of Workbench.openWorkbenches()) await workbench.close();
    await closeSharedBrowser();
    await stopSharedCodeServer();
  },
};
