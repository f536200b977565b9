import { readFileSync } from 'node:fs';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GRAPHIQL_FETCHER_SCRIPT } from './ide-fetcher.js';

/**
 * The README's example queries (each ```graphql block followed by its ```json result), so the IDE
 * opens with exactly the operations the documentation promises. Its mutation and subscription
 * examples are left out: a tab should not write at a click, and this IDE's fetcher speaks HTTP.
 */
export function readmeExamples(readme: string): string[] {
  const blocks = [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] ?? '' }));
  return blocks.flatMap((block, i) =>
    block.lang === 'graphql' && blocks[i + 1]?.lang === 'json' && !/^(mutation|subscription)\b/.test(block.code) ? [block.code.trim()] : [],
  );
}

let page: string | undefined;

/**
 * GraphiQL as one self-contained HTML page: scripts, styles and editor workers are inlined by
 * @graphql-yoga/render-graphiql, so it works with no internet access (Apollo's landing page loads
 * from a CDN). Rendered once, on first use, because the page is about 9 MB.
 */
export function graphiqlPage(): string {
  page ??= withOwnFetcher(
    renderGraphiQL({
      title: 'newsgraph',
      endpoint: '/graphql',
      defaultTabs: readmeExamples(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).map((query) => ({ query })),
    }),
  );
  return page;
}

const RENDER_CALL = 'YogaGraphiQL.renderYogaGraphiQL(';

/**
 * Hands GraphiQL our fetcher (see ide-fetcher.ts). The page's options travel as JSON, which cannot
 * carry a function, so the one render call is wrapped to add it.
 */
function withOwnFetcher(html: string): string {
  const at = html.indexOf(RENDER_CALL);
  if (at < 0 || html.indexOf(RENDER_CALL, at + 1) >= 0)
    throw new Error('GraphiQL page: expected exactly one render call to hand our fetcher to');
  const render = `(function (root, options) {
${GRAPHIQL_FETCHER_SCRIPT}
return YogaGraphiQL.renderYogaGraphiQL(root, Object.assign({}, options, { fetcher: newsgraphFetcher(options.endpoint) }));
})(`;
  return html.slice(0, at) + render + html.slice(at + RENDER_CALL.length);
}
