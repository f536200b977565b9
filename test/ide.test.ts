import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launchChromium } from './support/browser.js';
import { startTestServer, type TestServer } from './support/harness.js';

// GraphiQL in real headless Chromium (test/support/browser.ts).

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  if (haveChromium) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server.close();
});

describe.skipIf(!haveChromium)('GraphiQL in a browser', () => {
  it('runs a typed query against the seed article, loading nothing from outside the server', async () => {
    const page = await browser.newPage();
    const origin = new URL(server.url).origin;
    const foreign: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
    });
    await page.goto(server.url);
    await expect(page.title()).resolves.toBe('newsgraph');

    const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
    const editorText = async () => (await page.locator('.graphiql-query-editor .view-lines').first().innerText()).replace(/\s+/g, ' ');
    // The first tab opens with the README's first example; wait for it before replacing it.
    await expect.poll(editorText, { timeout: 20_000 }).toContain('ActorByAlias');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    // insertText, as a paste would: typed keystrokes would fight Monaco's bracket auto-closing.
    await page.keyboard.insertText('{ actor(name: "Xi") { name description } }');
    // Run at once, as a user who pastes and presses Ctrl+Enter does: GraphiQL has not re-parsed the
    // editor yet and still holds the replaced example's operation name.
    await page.keyboard.press('Control+Enter');

    const response = page.locator('.graphiql-response');
    await expect.poll(async () => (await response.innerText()).replace(/\s+/g, ' '), { timeout: 20_000 }).toContain('"name": "Xi Jinping"');
    expect((await response.innerText()).replace(/\s+/g, ' ')).toContain('"description": "President of China"');
    expect(await editorText()).toBe('{ actor(name: "Xi") { name description } }');
    expect(foreign).toEqual([]);
  });

  it("opens with the README's examples in tabs", async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.locator('.graphiql-tab').first().waitFor({ timeout: 20_000 });
    // One tab per README example that shows its result, named by its operation.
    const names = (await page.locator('.graphiql-tab').allInnerTexts()).map((text) => text.trim());
    expect(names).toEqual([
      'ActorByAlias',
      'QuoteOnTwitter',
      'TopicBoard',
      'ArticleMediaAndPartialQuotes',
      'PagedPeople',
      'MostQuoted',
      'SearchQuotesAndActors',
      'Search',
      'ExtractDryRun',
      'TopSpeakers',
      'OutletsAndGovernments',
      'StancesByKind',
      'StanceByWeek',
    ]);
  });
});
