// The Forensics activity-bar container opens in a real VS Code, and both of its views
// render their welcome content (the extension activated and contributed them).
import { strict as assert } from 'node:assert';
import { demoOrTempWorkspace, Workbench } from '../harness';

describe('Forensics container', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await Workbench.open({ folder: demoOrTempWorkspace() });
  });

  after(async () => {
    await workbench?.close();
  });

  it('opens from the activity bar with the Incidents and Investigation views', async () => {
    await workbench.openForensics();

    const incidents = await workbench.expandView('Incidents');
    const investigation = await workbench.expandView('Investigation');
    assert.ok(await incidents.isVisible(), 'the Incidents view is shown');
    assert.ok(await investigation.isVisible(), 'the Investigation view is shown');

    const incidentsWelcome = workbench.welcome('Incidents');
    await incidentsWelcome.waitFor();
    assert.match(await incidentsWelcome.innerText(), /Incidents from Sentry appear here/);
    // The welcome's button runs a contributed command.
    assert.ok(await incidentsWelcome.getByRole('button', { name: 'Get Started' }).isVisible(), 'the Get Started button is shown');

    const investigationWelcome = workbench.welcome('Investigation');
    await investigationWelcome.waitFor();
    assert.match(await investigationWelcome.innerText(), /Select an incident to walk through its investigation/);

    await workbench.waitForExtensionsActivated();
    await workbench.screenshot('forensics-container');
  });

  it('runs a Forensics command from the command palette', async () => {
    await workbench.runCommand('Forensics: Get Started');
    // The walkthrough opens in an editor tab.
    await workbench.page.locator('.getting-started-container, .gettingStartedContainer').first().waitFor({ timeout: 30_000 });
    assert.match(await workbench.page.locator('.part.editor').innerText(), /Get started with Production Forensics/);
    await workbench.screenshot('forensics-get-started');
  });
});
