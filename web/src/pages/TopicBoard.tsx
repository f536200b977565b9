import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorMessage, formatDate, Loading, PageTitle, STANCE_LABEL, STANCES } from '../components.js';
import { graphql } from '../gql/index.js';
import type { PositionFilter, Stance, TopicBoardQuery } from '../gql/graphql.js';

/** Cards per column before "Show more". */
const COLUMN_SIZE = 10;

graphql(`
  fragment BoardColumn on PositionConnection {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      stance
      summary
      origin
      actor {
        id
        name
      }
      quote {
        id
        text
      }
      article {
        id
        slug
        title
        source
        publishedAt
      }
    }
  }
`);

// The first page of every column in one request; each column pages on its own (COLUMN), and the
// type policies merge its pages into the same cached list, which the board then reads.
const BOARD = graphql(`
  query TopicBoard($slug: String!, $filter: PositionFilter, $first: Int!) {
    topic(slug: $slug) {
      id
      slug
      name
      SUPPORT: positions(stance: SUPPORT, filter: $filter, first: $first) {
        ...BoardColumn
      }
      MIXED: positions(stance: MIXED, filter: $filter, first: $first) {
        ...BoardColumn
      }
      NEUTRAL: positions(stance: NEUTRAL, filter: $filter, first: $first) {
        ...BoardColumn
      }
      OPPOSE: positions(stance: OPPOSE, filter: $filter, first: $first) {
        ...BoardColumn
      }
    }
  }
`);

const COLUMN = graphql(`
  query TopicBoardColumn($slug: String!, $stance: Stance!, $filter: PositionFilter, $first: Int!, $after: String) {
    topic(slug: $slug) {
      id
      positions(stance: $stance, filter: $filter, first: $first, after: $after) {
        ...BoardColumn
      }
    }
  }
`);

// Every source the topic's positions come from, with how many, for the source picker and the count
// of all positions whatever the filter.
const SOURCES = graphql(`
  query TopicBoardSources($slug: String!) {
    positionStats(filter: { topic: $slug }, groupBy: [SOURCE], first: 100) {
      source
      count
    }
  }
`);

type Column = NonNullable<TopicBoardQuery['topic']>[Stance];

/** The URL's `from` and `to` days (both included) and source, as the API's filter. */
function filterOf(from: string, to: string, source: string): PositionFilter {
  const filter: PositionFilter = {};
  if (from) filter.publishedAfter = `${from}T00:00:00.000Z`;
  if (to) {
    const next = new Date(`${to}T00:00:00.000Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    filter.publishedBefore = next.toISOString();
  }
  if (source) filter.source = source;
  return filter;
}

function BoardColumn({
  stance,
  column,
  showMore,
}: {
  stance: Stance;
  column: Column;
  showMore: (stance: Stance, after: string) => Promise<unknown>;
}) {
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const more = () => {
    if (!column.pageInfo.endCursor) return;
    setError(null);
    setLoading(true);
    showMore(stance, column.pageInfo.endCursor)
      .catch(setError)
      .finally(() => setLoading(false));
  };
  return (
    <section className={`column column-${stance}`} aria-labelledby={`column-${stance}`} data-stance={stance}>
      <h2 id={`column-${stance}`}>
        {STANCE_LABEL[stance]} <span className="muted">({column.totalCount})</span>
      </h2>
      {column.nodes.length === 0 && <p className="muted">Nobody.</p>}
      <ul>
        {column.nodes.map((position) => (
          <li key={position.id} className="card">
            <Link to={`/actors/${encodeURIComponent(position.actor.id)}`} className="card-actor">
              {position.actor.name}
            </Link>
            {position.quote ? <blockquote>“{position.quote.text}”</blockquote> : <p>{position.summary}</p>}
            <p className="muted">
              <Link to={`/articles/${position.article.slug}`}>{position.article.title}</Link> ·{' '}
              {position.article.source ?? 'unknown source'} · {formatDate(position.article.publishedAt)}
            </p>
          </li>
        ))}
      </ul>
      {error !== null && <ErrorMessage error={error} />}
      {column.pageInfo.hasNextPage && (
        <button type="button" onClick={more} disabled={loading}>
          {loading ? 'Loading…' : `Show more ${STANCE_LABEL[stance].toLowerCase()}`}
        </button>
      )}
    </section>
  );
}

/**
 * Who stands where on a topic. The date range and source in the URL go to the API as the columns'
 * filter, so a column counts and pages only the positions that pass it.
 */
export function TopicBoard() {
  const { slug = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const source = params.get('source') ?? '';
  const filter = filterOf(from, to, source);
  const variables = { slug, filter, first: COLUMN_SIZE };
  const { data, previousData, loading, error, fetchMore } = useQuery(BOARD, { variables });
  // While a changed filter loads, the board it replaces stays, so the form keeps its focus.
  const current = data ?? previousData;
  const topic = current?.topic;
  const sources = useQuery(SOURCES, { variables: { slug }, skip: !topic });
  if (loading && !current) return <Loading what="the topic" />;
  if (error) return <ErrorMessage error={error} />;
  if (!topic) return <PageTitle>No topic is called “{slug}”</PageTitle>;

  const setFilter = (name: string, value: string) => {
    // From the address bar rather than `params`: the router re-renders after a change in a
    // transition, so a second change soon after (from, then to) would start from the URL before the first.
    const next = new URLSearchParams(window.location.search);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const showMore = (stance: Stance, after: string) => fetchMore({ query: COLUMN, variables: { ...variables, stance, after } });
  const groups = sources.data?.positionStats ?? [];
  const named = groups.map((group) => group.source).filter((s): s is string => s !== null);
  // A source in the URL that the topic has no positions from still shows as chosen.
  const choices = [...new Set(source ? [...named, source] : named)].sort();
  const all = groups.reduce((sum, group) => sum + group.count, 0);
  const shown = STANCES.reduce((sum, stance) => sum + topic[stance].totalCount, 0);
  return (
    <div>
      <PageTitle>Who stands where: {topic.name}</PageTitle>
      <form className="filters" aria-label="Filter the board" onSubmit={(e) => e.preventDefault()}>
        <label>
          Published from <input type="date" value={from} onChange={(e) => setFilter('from', e.target.value)} />
        </label>
        <label>
          to <input type="date" value={to} onChange={(e) => setFilter('to', e.target.value)} />
        </label>
        <label>
          Source{' '}
          <select value={source} onChange={(e) => setFilter('source', e.target.value)}>
            <option value="">All sources</option>
            {choices.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <span role="status" className="muted">
          {sources.data ? `${shown} of ${all} positions` : `${shown} positions`}
        </span>
      </form>
      {sources.error && <ErrorMessage error={sources.error} />}
      <div className="board">
        {STANCES.map((stance) => (
          <BoardColumn key={stance} stance={stance} column={topic[stance]} showMore={showMore} />
        ))}
      </div>
    </div>
  );
}
