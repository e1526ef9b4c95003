// A VS Code workbench page in Chromium, driven as a person would: click the activity bar,
// press F1 and type a command, answer quick inputs, read tree items and webview content.
// Selectors are VS Code's own DOM classes and ARIA roles (stable across recent releases).
import { join } from 'node:path';
import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { sharedBrowser } from './browser';
import { sharedCodeServer, type CodeServer } from './codeServer';
import { e2eEnvironment } from './environment';

export interface OpenWorkbenchOptions {
  /** Absolute path of the folder to open (passed as `?folder=`). */
  folder: string;
  /** Defaults to the suite's shared server. */
  server?: CodeServer;
  viewport?: { width: number; height: number };
}

const open = new Set<Workbench>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly context: BrowserContext,
    readonly server: CodeServer,
    readonly folder: string,
  ) {}

  /** Opens the workbench on a folder and waits until it is laid out. */
  static async open(options: OpenWorkbenchOptions): Promise<Workbench> {
    const server = options.server ?? (await sharedCodeServer());
    const browser = await sharedBrowser();
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();
    const workbench = new Workbench(page, context, server, options.folder);
    open.add(workbench);
    try {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(options.folder)}`);
      await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
      // The status bar fills in once the remote extension host is connected.
      await page.locator('.monaco-workbench .part.statusbar').waitFor();
    } catch (error) {
      await workbench.close();
      throw error;
    }
    return workbench;
  }

  /** Every workbench still open (the root hooks screenshot them when a test fails). */
  static openWorkbenches(): Workbench[] {
    return [...open];
  }

  // ---- views ----------------------------------------------------------------------------

  activityBarItem(title: string): Locator {
    return this.page
      .locator(`.part.activitybar .action-item a[aria-label^="${title}"], .part.activitybar li.action-item[aria-label^="${title}"]`)
      .first();
  }

  /** Opens a view container by clicking its activity-bar icon (unless already shown). */
  async openViewContainer(title: string): Promise<void> {
    const sidebarTitle = this.page
      .locator('.part.sidebar .composite.title')
      .filter({ hasText: new RegExp(`^${escapeRegExp(title)}`, 'i') });
    if (await sidebarTitle.isVisible()) return;
    await this.activityBarItem(title).click({ timeout: 30_000 });
    await sidebarTitle.waitFor();
    // Move the pointer off the icon so its hover doesn't cover screenshots.
    await this.page.mouse.move(700, 450);
  }

  /** Waits until the status bar no longer reports extensions activating. */
  async waitForExtensionsActivated(timeout = 60_000): Promise<void> {
    await this.page
      .locator('.part.statusbar .statusbar-item', { hasText: /Activating Extensions/i })
      .waitFor({ state: 'detached', timeout });
  }

  /** The Forensics container, which holds the extension's Incidents and Investigation views. */
  openForensics(): Promise<void> {
    return this.openViewContainer('Forensics');
  }

  /** A view's pane (header plus body) in the side bar, by its name. */
  view(name: string): Locator {
    return this.page
      .locator('.part.sidebar .pane')
      .filter({ has: this.page.locator('.pane-header .title', { hasText: new RegExp(`^${escapeRegExp(name)}$`, 'i') }) });
  }

  /** Expands a collapsed view. */
  async expandView(name: string): Promise<Locator> {
    const pane = this.view(name);
    const header = pane.locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    await pane.locator('.pane-body').waitFor();
    return pane;
  }

  /** A view's welcome content (shown while its tree is empty). */
  welcome(name: string): Locator {
    return this.view(name).locator('.welcome-view-content');
  }

  /** Waits for a tree item with this label (exact match of the label text) and returns its row. */
  async treeItem(label: string, options: { view?: string; timeout?: number } = {}): Promise<Locator> {
    const scope = options.view ? this.view(options.view) : this.page.locator('.part.sidebar');
    const row = scope
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
      .first();
    await row.waitFor({ timeout: options.timeout ?? 30_000 });
    return row;
  }

  /** The labels of every tree row currently rendered in a view. */
  async treeLabels(view: string): Promise<string[]> {
    return this.view(view).locator('.monaco-list-row .label-name').allInnerTexts();
  }

  // ---- commands and quick input ------------------------------------------------------------

  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /**
   * Runs a command from the command palette, as a person does: F1, type the title (e.g.
   * "Forensics: Get Started"), then Enter when the exact entry is highlighted, or a click on
   * it when the fuzzy ranking put another entry first.
   */
  async runCommand(title: string): Promise<void> {
    const widget = this.quickInput();
    // The palette can be caught closing (a previous quick input fading out, or focus moving
    // as an editor opens): when its input is not there to type in, open it again.
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      try {
        await widget.locator('input').fill(`>${title}`, { timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    const exact = this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`, 'i') });
    const row = widget.locator('.monaco-list-row').filter({ has: exact }).first();
    await row.waitFor({ timeout: 15_000 });
    if ((await row.getAttribute('class'))?.split(/\s+/).includes('focused')) await this.page.keyboard.press('Enter');
    else await row.click();
    // Done when the palette closed or became the command's own input (same widget, new value).
    const input = widget.locator('input');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await widget.isVisible()) && (await input.inputValue().catch(() => '')) === `>${title}`) {
      await this.page.waitForTimeout(50);
    }
  }

  /** Answers an input box (showInputBox, or a quick pick's free text) and confirms with Enter. */
  async answerQuickInput(text: string): Promise<void> {
    await this.typeInQuickInput(text);
    await this.page.keyboard.press('Enter');
  }

  /** Types into the open quick input without confirming (to filter a quick pick). */
  async typeInQuickInput(text: string): Promise<void> {
    const widget = this.quickInput();
    await widget.waitFor();
    await widget.locator('input').fill(text);
  }

  /** Picks an item of the open quick pick by its label (waits until it is listed), with a click. */
  async pickQuickItem(label: string | RegExp): Promise<void> {
    const text = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}$`) : label;
    const row = this.quickInput()
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: text }) })
      .first();
    await row.click({ timeout: 30_000 });
  }

  /** The labels of the items the open quick pick shows. */
  async quickItems(): Promise<string[]> {
    const widget = this.quickInput();
    await widget.locator('.monaco-list-row').first().waitFor();
    return widget.locator('.monaco-list-row .label-name').allInnerTexts();
  }

  // ---- editors, notifications, webviews ------------------------------------------------------

  editorTab(title: string | RegExp): Locator {
    return this.page.locator('.tabs-container .tab').filter({ hasText: title }).first();
  }

  /** Toasts currently shown (their message text). */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
  }

  /** Waits for a notification toast containing this text and returns it. */
  async notification(text: string | RegExp, timeout = 30_000): Promise<Locator> {
    const toast = this.page.locator('.notification-toast').filter({ hasText: text }).first();
    await toast.waitFor({ timeout });
    return toast;
  }

  /**
   * The content frame of a webview panel. With a title, its editor tab is activated first;
   * the visible webview is then the active one. Query inside it with the returned
   * FrameLocator (`frame.locator('#chart')`), which waits for the content.
   */
  async webview(title?: string | RegExp): Promise<FrameLocator> {
    if (title !== undefined) {
      const tab = this.editorTab(title);
      await tab.waitFor({ timeout: 30_000 });
      await tab.click();
    }
    // VS Code hosts each webview in an outer iframe (class "webview") whose document holds
    // the extension's content in an inner iframe "#active-frame"; hidden webviews stay in
    // the DOM with visibility hidden, so take the visible one.
    const outer = this.page.locator('iframe.webview.ready:visible').last();
    await outer.waitFor({ timeout: 30_000 });
    return outer.contentFrame().locator('iframe#active-frame').contentFrame();
  }

  // ---- output ---------------------------------------------------------------------------------

  /** Saves a screenshot of the whole window as test-output/e2e/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    const path = join(e2eEnvironment().outputDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  async close(): Promise<void> {
    open.delete(this);
    await this.context.close().catch(() => undefined);
  }
}
