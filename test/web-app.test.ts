import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebApp, PROJECT_ROOT, webBuildIsCurrent } from '../scripts/build.js';
import { saveArticle } from '../src/services/articles.js';
import { haveChromium, launchChromium } from './support/browser.js';
import { dataOf, startTestServer, type TestServer } from './support/harness.js';

// The web app, built by `npm run build` (built here when web/dist is missing or stale), in headless
// Chromium against the real server on a fresh seeded database that needs a write token, as a
// reader uses it. Every wait is for what the reader would see; screenshots of each page go to
// test-results/screenshots (not committed) for a person to look at. `npm run screenshots` runs it
// with DOCS_SCREENSHOTS=1, which also redraws the README's pictures in docs/ from the same states.

const TOKEN = 'browser-spec-token';
const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results', 'screenshots');
const ZELENSKY_QUOTE = 'I had a long and meaningful phone call with President Xi Jinping.';

let server: TestServer;
let browser: Browser;
let origin: string;
/** Requests the app made to anywhere but its own server: it must work with no internet access. */
const foreign: string[] = [];

beforeAll(async () => {
  if (!webBuildIsCurrent()) buildWebApp(undefined, { quiet: true });
  server = await startTestServer({ server: { writeToken: TOKEN } });
  origin = new URL(server.url).origin;
  mkdirSync(SCREENSHOTS, { recursive: true });
  if (haveChromium) browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server.close();
});

async function open(route: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:')) foreign.push(url);
  });
  await page.goto(origin + route);
  return page;
}

const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

/**
 * With DOCS_SCREENSHOTS=1, the README's picture `docs/NAME.png`: the window as a reader sees it at
 * the spec's 1280 × 900, not the whole page, so the picture keeps its size in the README.
 */
async function docsScreenshot(page: Page, name: 'article-reader' | 'topic-board'): Promise<void> {
  if (process.env.DOCS_SCREENSHOTS === '1') await page.screenshot({ path: path.join(PROJECT_ROOT, 'docs', `${name}.png`) });
}

/** The quote details panel's field, once the panel shows one. */
const detail = (page: Page, field: string) => page.locator(`.quote-details [data-field="${field}"]`);

describe.skipIf(!haveChromium)('the web app in a browser', () => {
  it("highlights the seed article's quotes in place, attributed and coloured by speaker", async () => {
    const page = await open('/app/articles/xi-zelensky-phone-call');
    const mark = page.locator('mark.quote', { hasText: ZELENSKY_QUOTE });
    await mark.waitFor();
    expect(await mark.innerText()).toBe(ZELENSKY_QUOTE);
    expect(await page.locator('mark.quote').count()).toBeGreaterThan(10);

    await mark.hover();
    await detail(page, 'speaker').getByText('Volodymyr Zelensky').waitFor();
    expect(await detail(page, 'kind').innerText()).toBe('DIRECT');
    expect(await detail(page, 'origin').innerText()).toBe('ANNOTATED');

    // The quote wears its speaker's colour, the one beside his name in the actors list.
    const colour = await mark.evaluate((element) => getComputedStyle(element).backgroundColor);
    const swatch = page.locator('.actor-list li', { hasText: 'Volodymyr Zelensky' }).locator('.swatch');
    expect(await swatch.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(colour);
    await screenshot(page, 'article-reader');
    // Selected by a click, the quote keeps its details panel and shows its focus ring.
    await mark.click();
    await detail(page, 'speaker').getByText('Volodymyr Zelensky').waitFor();
    await docsScreenshot(page, 'article-reader');

    await page.setViewportSize({ width: 390, height: 844 });
    await mark.scrollIntoViewIfNeeded();
    await screenshot(page, 'article-reader-narrow');
    expect(foreign).toEqual([]);
  });

  it('shows who stands where on peace negotiations: Xi Jinping supports, the Russian foreign ministry opposes', async () => {
    const page = await open('/app/topics/peace-negotiations-on-the-war-in-ukraine');
    const support = page.locator('section[data-stance="SUPPORT"]');
    const oppose = page.locator('section[data-stance="OPPOSE"]');
    await support.getByRole('link', { name: 'Xi Jinping', exact: true }).waitFor();
    await oppose.getByRole('link', { name: 'Russian Ministry of Foreign Affairs', exact: true }).waitFor();
    expect(await support.locator('.card-actor').allInnerTexts()).toEqual(['Xi Jinping']);
    expect(await oppose.locator('.card-actor').allInnerTexts()).toEqual(['Russian Ministry of Foreign Affairs']);
    // Each card shows its evidence and the article it comes from.
    expect(await support.locator('.card blockquote').innerText()).toBe('“talks and negotiation”');
    expect(
      await support
        .locator('.card')
        .getByRole('link', { name: /Xi Jinping, Zelensky discuss peace negotiations/ })
        .count(),
    ).toBe(1);
    await screenshot(page, 'topic-board');
    await docsScreenshot(page, 'topic-board');
  });

  it("pages an actor's quotes newest first with Show more, and the back button returns to the article", async () => {
    // A later article quoting Xi, so that newest first is not the order the quotes were added in.
    await saveArticle(server.db, {
      title: 'Xi visits the harbour',
      body: 'Xi said the port was “a bridge between nations”.',
      publishedAt: new Date('2024-05-01T00:00:00Z'),
      quotes: [{ text: 'a bridge between nations', speaker: 'Xi', kind: 'PARTIAL' }],
    });
    const { actor } = dataOf(
      await server.gql<{ actor: { quotes: { nodes: { text: string }[] } } }>(
        `{ actor(name: "Xi") { quotes(first: 100, orderBy: PUBLISHED_AT_DESC) { nodes { text } } } }`,
      ),
    );
    const all = actor.quotes.nodes.map((quote) => quote.text);
    expect(all.length).toBeGreaterThan(3);
    expect(all[0]).toBe('a bridge between nations');

    const page = await open('/app/articles/xi-zelensky-phone-call');
    await page.locator('.actor-list').getByRole('link', { name: 'Xi Jinping', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Xi Jinping' }).waitFor();
    const items = page.locator('.quote-list blockquote');
    await page.getByText(`Showing 3 of ${all.length} quotes`).waitFor();
    const more = page.getByRole('button', { name: 'Show more quotes' });
    for (let shown = 3; shown < all.length;) {
      await more.click();
      shown = Math.min(shown + 3, all.length);
      await page.getByText(`Showing ${shown} of ${all.length} quotes`).waitFor();
    }
    expect(await more.count()).toBe(0);
    expect(await items.allInnerTexts()).toEqual(all);
    await screenshot(page, 'actor-page');

    await page.goBack();
    await page.getByRole('heading', { level: 1, name: /Xi Jinping, Zelensky discuss peace negotiations/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/articles/xi-zelensky-phone-call');
  });

  it('filters the topic board by date and source in the API, and pages a column with Show more', async () => {
    for (let n = 1; n <= 12; n += 1) {
      await saveArticle(server.db, {
        title: `Ferry vote ${n}`,
        body: `Councillor Number${n} backs the ferry link.`,
        source: 'Harbour Herald',
        publishedAt: new Date(Date.UTC(2024, 2, n)),
        topics: ['Ferry link'],
        actors: [{ name: `Councillor Number${n}`, kind: 'PERSON' }],
        positions: [{ actor: `Councillor Number${n}`, topic: 'Ferry link', stance: 'SUPPORT', summary: 'Backs the ferry link.' }],
      });
    }
    await saveArticle(server.db, {
      title: 'Ferry doubts',
      body: 'Mayor Ada Quist doubts the ferry link.',
      source: 'Coast News',
      publishedAt: new Date('2024-04-02T00:00:00Z'),
      topics: ['Ferry link'],
      actors: [{ name: 'Ada Quist', kind: 'PERSON' }],
      positions: [{ actor: 'Ada Quist', topic: 'Ferry link', stance: 'OPPOSE', summary: 'Doubts the ferry link.' }],
    });
    const page = await open('/app/topics/ferry-link');
    const support = page.locator('section[data-stance="SUPPORT"]');
    const oppose = page.locator('section[data-stance="OPPOSE"]');
    await page.getByText('13 of 13 positions').waitFor();
    await support.getByRole('heading', { name: 'Support (12)' }).waitFor();
    expect(await support.locator('.card-actor').allInnerTexts()).toEqual(Array.from({ length: 10 }, (_, i) => `Councillor Number${i + 1}`));

    await support.getByRole('button', { name: 'Show more support' }).click();
    await support.getByRole('link', { name: 'Councillor Number12', exact: true }).waitFor();
    expect(await support.locator('.card-actor').count()).toBe(12);
    expect(await support.getByRole('button', { name: 'Show more support' }).count()).toBe(0);

    await page.getByLabel('Source').selectOption('Coast News');
    await page.getByText('1 of 13 positions').waitFor();
    await support.getByText('Nobody.').waitFor();
    expect(await oppose.locator('.card-actor').allInnerTexts()).toEqual(['Ada Quist']);
    expect(new URL(page.url()).searchParams.get('source')).toBe('Coast News');

    await page.getByLabel('Source').selectOption('');
    await page.getByLabel('Published from').fill('2024-03-05');
    await page.getByLabel('to', { exact: true }).fill('2024-03-31');
    await page.getByText('8 of 13 positions').waitFor();
    await support.getByRole('heading', { name: 'Support (8)' }).waitFor();
    expect(await support.locator('.card-actor').first().innerText()).toBe('Councillor Number5');
    expect(await oppose.getByText('Nobody.').count()).toBe(1);
    await screenshot(page, 'topic-board-filtered');
  });

  it('adds an article through extract, review and save: the corrected quote is ANNOTATED, the rest EXTRACTED', async () => {
    const page = await open('/app/add');
    await page.getByLabel('Title').fill('Harbour talks stall');
    await page
      .getByLabel('Body')
      .fill(
        'Mayor Ada Quist said on Monday that the harbour will reopen in May. \u201CWe are ready to talk,\u201D Quist told reporters. ' +
          'Union leader Ivo Renner disagreed. \u201CThe plan is not safe for the dock workers,\u201D Renner said.',
      );
    await page.getByLabel('Source').fill('Harbour Herald');
    await page.getByLabel('Published on').fill('2024-03-05');
    await page.getByRole('button', { name: 'Run the extractor' }).click();

    const speaker = page.getByLabel('Speaker of “The plan is not safe for the dock workers”');
    await speaker.waitFor();
    expect(await speaker.inputValue()).toBe('Ivo Renner');
    // The proposal is shown on the text itself before it is saved.
    await page.locator('.review mark.quote', { hasText: 'The plan is not safe for the dock workers' }).waitFor();
    await speaker.fill('Ada Quist');
    await screenshot(page, 'add-article-review');

    await page.getByRole('button', { name: 'Save the article' }).click();
    // The server needs the write token: the app asks for it once and keeps it for the tab.
    await page.getByLabel('Write token').fill(TOKEN);
    await page.getByRole('button', { name: 'Save the article' }).click();
    await page.getByRole('heading', { level: 1, name: 'Harbour talks stall' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/articles/harbour-talks-stall');
    expect(await page.evaluate(() => sessionStorage.getItem('newsgraph.writeToken'))).toBe(TOKEN);

    const marks = page.locator('mark.quote');
    await marks.first().waitFor();
    const texts = await marks.allInnerTexts();
    expect(texts.length).toBeGreaterThan(1);
    const origins: Record<string, string> = {};
    for (let i = 0; i < texts.length; i += 1) {
      const mark = marks.nth(i);
      await mark.click();
      const text = texts[i] ?? '';
      await page.locator('.quote-details dd', { hasText: text.slice(0, 30) }).waitFor();
      origins[text] = (await detail(page, 'origin').innerText()).split(' ')[0] ?? '';
      if (text === 'The plan is not safe for the dock workers') expect(await detail(page, 'speaker').innerText()).toBe('Ada Quist');
    }
    const corrected = 'The plan is not safe for the dock workers';
    expect(origins[corrected]).toBe('ANNOTATED');
    const rest = Object.entries(origins).filter(([text]) => text !== corrected);
    expect(rest.length).toBeGreaterThan(0);
    for (const [, origin] of rest) expect(origin).toBe('EXTRACTED');
    await screenshot(page, 'added-article');
  });
});
