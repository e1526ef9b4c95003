// The `run()` contract of @vscode/test-electron (and of VS Code's own extension-test host):
// load the tests into mocha inside the extension host and resolve when they pass.
import Mocha from 'mocha';
import { extensionSuite } from './extension.test';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: true });
  mocha.suite.emit('pre-require', globalThis, 'extension.test', mocha);
  extensionSuite();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
