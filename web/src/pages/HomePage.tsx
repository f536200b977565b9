import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { ErrorMessage, formatDate, Loading, PageTitle } from '../components.js';
import { graphql } from '../gql/index.js';

const HOME = graphql(`
  query Home($after: String) {
    articles(first: 20, after: $after) {
      nodes {
        id
        slug
        title
        source
        publishedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    topics(first: 100) {
      nodes {
        id
        slug
        name
      }
    }
  }
`);

export function HomePage() {
  const { data, loading, error, fetchMore } = useQuery(HOME);
  if (loading && !data) return <Loading what="the articles" />;
  if (error) return <ErrorMessage error={error} />;
  if (!data) return null;
  return (
    <div className="with-aside">
      <section className="main-column" aria-labelledby="articles-title">
        <PageTitle>
          <span id="articles-title">Articles</span>
        </PageTitle>
        <ul className="article-list">
          {data.articles.nodes.map((article) => (
            <li key={article.id}>
              <Link to={`/articles/${article.slug}`}>{article.title}</Link>
              <span className="muted">
                {' '}
                {article.source ?? 'Unknown source'} · {formatDate(article.publishedAt)}
              </span>
            </li>
          ))}
        </ul>
        {data.articles.pageInfo.hasNextPage && (
          <button type="button" onClick={() => void fetchMore({ variables: { after: data.articles.pageInfo.endCursor } })}>
            More articles
          </button>
        )}
      </section>
      <aside className="side-column" aria-labelledby="topics-title">
        <h2 id="topics-title">Topics: who stands where</h2>
        <ul>
          {data.topics.nodes.map((topic) => (
            <li key={topic.id}>
              <Link to={`/topics/${topic.slug}`}>{topic.name}</Link>
            </li>
          ))}
        </ul>
      </aside>
    </div>
  );
}
