import { useQuery } from '@apollo/client/react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorMessage, formatDate, Loading, PageTitle, STANCE_LABEL, STANCES } from '../components.js';
import { graphql } from '../gql/index.js';

const TOPIC = graphql(`
  query TopicBoard($slug: String!) {
    topic(slug: $slug) {
      id
      slug
      name
      positions {
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
  }
`);

/**
 * The board filters by date and source in the browser: Topic.positions takes only a stance, and a
 * topic's positions come in one list, so every one is already here to filter.
 */
export function TopicBoard() {
  const { slug = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const { data, loading, error } = useQuery(TOPIC, { variables: { slug } });
  if (loading && !data) return <Loading what="the topic" />;
  if (error) return <ErrorMessage error={error} />;
  const topic = data?.topic;
  if (!topic) return <PageTitle>No topic is called “{slug}”</PageTitle>;

  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const source = params.get('source') ?? '';
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const sources = [...new Set(topic.positions.map((p) => p.article.source).filter((s): s is string => s !== null))].sort();
  const shown = topic.positions.filter((p) => {
    const day = p.article.publishedAt?.slice(0, 10) ?? null;
    if (from && (day === null || day < from)) return false;
    if (to && (day === null || day > to)) return false;
    return !source || p.article.source === source;
  });
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
            {sources.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <span role="status" className="muted">
          {shown.length} of {topic.positions.length} positions
        </span>
      </form>
      <div className="board">
        {STANCES.map((stance) => {
          const column = shown.filter((p) => p.stance === stance);
          return (
            <section key={stance} className={`column column-${stance}`} aria-labelledby={`column-${stance}`} data-stance={stance}>
              <h2 id={`column-${stance}`}>
                {STANCE_LABEL[stance]} <span className="muted">({column.length})</span>
              </h2>
              {column.length === 0 && <p className="muted">Nobody.</p>}
              <ul>
                {column.map((position) => (
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
            </section>
          );
        })}
      </div>
    </div>
  );
}
