import { useQuery } from '@apollo/client/react';
import { Fragment } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorMessage, Loading, PageTitle } from '../components.js';
import { graphql } from '../gql/index.js';

const SEARCH = graphql(`
  query Search($query: String!, $after: String) {
    search(query: $query, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        snippet
        score
        node {
          __typename
          ... on Article {
            id
            slug
            title
          }
          ... on Quote {
            id
            speaker {
              id
              name
            }
            article {
              id
              slug
              title
            }
          }
          ... on Actor {
            id
            name
            kind
          }
        }
      }
    }
  }
`);

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };
const unescape = (html: string) => html.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (entity) => ENTITIES[entity] ?? entity);

/**
 * The API's snippet is HTML-escaped text with the matches in <mark>: it is read back into text and
 * marks here rather than set as HTML, so nothing in an article can become markup in the page.
 */
function Snippet({ html }: { html: string }) {
  const parts = html.split(/<mark>|<\/mark>/);
  return (
    <span className="snippet">
      {parts.map((part, i) => (i % 2 === 1 ? <mark key={i}>{unescape(part)}</mark> : <Fragment key={i}>{unescape(part)}</Fragment>))}
    </span>
  );
}

export function SearchPage() {
  const [params] = useSearchParams();
  const query = params.get('q')?.trim() ?? '';
  const { data, loading, error, fetchMore } = useQuery(SEARCH, { variables: { query }, skip: query === '' });
  return (
    <div>
      <PageTitle>{query ? `Search: ${query}` : 'Search'}</PageTitle>
      {query === '' && (
        <p>Type words in the search box above: every word must occur; “quoted words” in order; OR, -word and word* work too.</p>
      )}
      {loading && !data && <Loading what="results" />}
      {error && <ErrorMessage error={error} />}
      {data && (
        <>
          <p role="status">
            {data.search.totalCount} result{data.search.totalCount === 1 ? '' : 's'}
          </p>
          <ol className="results">
            {data.search.nodes.map((hit, i) => {
              const node = hit.node;
              const key = `${node.__typename}:${node.id}:${i}`;
              if (node.__typename === 'Article')
                return (
                  <li key={key}>
                    <span className="kind">Article</span> <Link to={`/articles/${node.slug}`}>{node.title}</Link>
                    <p>
                      <Snippet html={hit.snippet} />
                    </p>
                  </li>
                );
              if (node.__typename === 'Quote')
                return (
                  <li key={key}>
                    <span className="kind">Quote</span>{' '}
                    {node.speaker ? <Link to={`/actors/${encodeURIComponent(node.speaker.id)}`}>{node.speaker.name}</Link> : 'Unattributed'}{' '}
                    in <Link to={`/articles/${node.article.slug}`}>{node.article.title}</Link>
                    <p>
                      <Snippet html={hit.snippet} />
                    </p>
                  </li>
                );
              return (
                <li key={key}>
                  <span className="kind">Actor</span> <Link to={`/actors/${encodeURIComponent(node.id)}`}>{node.name}</Link>{' '}
                  <span className="muted">{node.kind.toLowerCase()}</span>
                  <p>
                    <Snippet html={hit.snippet} />
                  </p>
                </li>
              );
            })}
          </ol>
          {data.search.pageInfo.hasNextPage && (
            <button type="button" onClick={() => void fetchMore({ variables: { after: data.search.pageInfo.endCursor } })}>
              More results
            </button>
          )}
        </>
      )}
    </div>
  );
}
