import { readFileSync } from 'node:fs';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

/**
 * The README's example queries (each ```graphql block followed by its ```json result), so the IDE
 * opens with exactly the operations the documentation promises.
 */
export function readmeExamples(readme: string): string[] {
  const blocks = [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] ?? '' }));
  return blocks.flatMap((block, i) => (block.lang === 'graphql' && blocks[i + 1]?.lang === 'json' ? [block.code.trim()] : []));
}

let page: string | undefined;

/**
 * GraphiQL as one self-contained HTML page: scripts, styles and editor workers are inlined by
 * @graphql-yoga/render-graphiql, so it works with no internet access (Apollo's landing page loads
 * from a CDN). Rendered once, on first use, because the page is about 9 MB.
 */
export function graphiqlPage(): string {
  page ??= renderGraphiQL({
    title: 'newsgraph',
    endpoint: '/graphql',
    defaultTabs: readmeExamples(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).map((query) => ({ query })),
  });
  return page;
}
