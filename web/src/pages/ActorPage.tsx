import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorMessage, formatDate, Loading, PageTitle, STANCE_LABEL } from '../components.js';
import { graphql } from '../gql/index.js';

const PAGE_SIZE = 3;

const ACTOR = graphql(`
  query ActorPage($id: ID!, $first: Int!, $after: String) {
    actor(id: $id) {
      id
      name
      kind
      aliases
      description
      affiliation {
        id
        name
      }
      positions(first: 100) {
        totalCount
        nodes {
          id
          stance
          summary
          topic {
            id
            slug
            name
          }
          article {
            id
            slug
            title
          }
        }
      }
      quotes(first: $first, after: $after, orderBy: PUBLISHED_AT_DESC) {
        nodes {
          id
          text
          kind
          article {
            id
            slug
            title
            publishedAt
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
        totalCount
      }
    }
  }
`);

// Query.quotes, not Actor.quotes: the cache keeps one list per field and filter, and the page's
// paged Actor.quotes must not share it with this one-shot list.
const TIMELINE = graphql(`
  query ActorTimeline($id: String!) {
    quotes(first: 100, filter: { speaker: $id }) {
      totalCount
      nodes {
        id
        article {
          id
          publishedAt
          createdAt
        }
      }
    }
  }
`);

/** Quotes per month, from the publication date of each quote's article (or when it was added). */
function Timeline({ id }: { id: string }) {
  const { data, error } = useQuery(TIMELINE, { variables: { id } });
  if (error) return <ErrorMessage error={error} />;
  const nodes = data?.quotes.nodes ?? [];
  if (nodes.length === 0) return null;
  const counts = new Map<string, number>();
  for (const quote of nodes) {
    const month = (quote.article.publishedAt ?? quote.article.createdAt).slice(0, 7);
    counts.set(month, (counts.get(month) ?? 0) + 1);
  }
  const months = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
  const most = Math.max(...counts.values());
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">How often quoted</h2>
      <table className="timeline">
        <caption className="visually-hidden">Quotes per month</caption>
        <tbody>
          {months.map(([month, count]) => (
            <tr key={month}>
              <th scope="row">{month}</th>
              <td>
                <span className="bar" style={{ width: `${(count / most) * 100}%` }} aria-hidden="true" />
                <span className="count">{count}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {(data?.quotes.totalCount ?? 0) > nodes.length && <p className="muted">From the first {nodes.length} quotes.</p>}
    </section>
  );
}

export function ActorPage() {
  const { id = '' } = useParams();
  const { data, loading, error, fetchMore } = useQuery(ACTOR, { variables: { id, first: PAGE_SIZE }, notifyOnNetworkStatusChange: true });
  const [moreError, setMoreError] = useState<unknown>(null);
  if (loading && !data) return <Loading what="the actor" />;
  if (error) return <ErrorMessage error={error} />;
  const actor = data?.actor;
  if (!actor) return <PageTitle>No such actor</PageTitle>;

  const byTopic = new Map<string, { slug: string; name: string; positions: typeof actor.positions.nodes }>();
  for (const position of actor.positions.nodes) {
    const entry = byTopic.get(position.topic.id) ?? { slug: position.topic.slug, name: position.topic.name, positions: [] };
    entry.positions.push(position);
    byTopic.set(position.topic.id, entry);
  }
  const { nodes, pageInfo, totalCount } = actor.quotes;
  const showMore = () => {
    setMoreError(null);
    fetchMore({ variables: { after: pageInfo.endCursor } }).catch(setMoreError);
  };
  return (
    <div className="with-aside">
      <header className="article-header">
        <PageTitle>{actor.name}</PageTitle>
        <p className="byline">
          {actor.kind.toLowerCase()}
          {actor.description && ` · ${actor.description}`}
          {actor.affiliation && (
            <>
              {' · '}
              <Link to={`/actors/${encodeURIComponent(actor.affiliation.id)}`}>{actor.affiliation.name}</Link>
            </>
          )}
        </p>
        {actor.aliases.length > 0 && <p className="muted">Also called: {actor.aliases.join(', ')}</p>}
      </header>
      <section className="main-column" aria-labelledby="quotes-title">
        <h2 id="quotes-title">
          Quotes <span className="muted">({totalCount}, newest first)</span>
        </h2>
        <ol className="quote-list">
          {nodes.map((quote) => (
            <li key={quote.id}>
              <blockquote>{quote.text}</blockquote>
              <p className="muted">
                {quote.kind.toLowerCase()} · <Link to={`/articles/${quote.article.slug}`}>{quote.article.title}</Link> ·{' '}
                {formatDate(quote.article.publishedAt)}
              </p>
            </li>
          ))}
        </ol>
        <p role="status" className="muted">
          Showing {nodes.length} of {totalCount} quotes
        </p>
        {moreError !== null && <ErrorMessage error={moreError} />}
        {pageInfo.hasNextPage && (
          <button type="button" onClick={showMore} disabled={loading}>
            {loading ? 'Loading…' : 'Show more quotes'}
          </button>
        )}
      </section>
      <aside className="side-column">
        <section aria-labelledby="positions-title">
          <h2 id="positions-title">Positions by topic</h2>
          {byTopic.size === 0 && <p>None recorded.</p>}
          {actor.positions.totalCount > actor.positions.nodes.length && (
            <p className="muted">
              The first {actor.positions.nodes.length} of {actor.positions.totalCount}.
            </p>
          )}
          {[...byTopic.values()].map((topic) => (
            <div key={topic.slug} className="topic-positions">
              <h3>
                <Link to={`/topics/${topic.slug}`}>{topic.name}</Link>
              </h3>
              <ul>
                {topic.positions.map((position) => (
                  <li key={position.id}>
                    <span className={`stance stance-${position.stance}`}>{STANCE_LABEL[position.stance]}</span> {position.summary}{' '}
                    <Link to={`/articles/${position.article.slug}`} className="muted">
                      ({position.article.title})
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
        <Timeline id={actor.id} />
      </aside>
    </div>
  );
}
