import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorMessage, formatDate, Loading, PageTitle, STANCE_LABEL } from '../components.js';
import { graphql } from '../gql/index.js';
import { HighlightedText, speakerColours, UNATTRIBUTED } from '../highlight.js';

const ARTICLE = graphql(`
  query ArticleReader($slug: String!) {
    article(slug: $slug) {
      id
      slug
      title
      body
      source
      url
      publishedAt
      topics {
        id
        slug
        name
      }
      actors {
        id
        name
        kind
        description
      }
      quotes {
        id
        text
        kind
        channel
        startOffset
        endOffset
        origin
        confidence
        speaker {
          id
          name
        }
      }
      positions {
        id
        stance
        summary
        origin
        actor {
          id
          name
        }
        topic {
          id
          slug
          name
        }
      }
    }
  }
`);

export function ArticlePage() {
  const { slug = '' } = useParams();
  const { data, loading, error } = useQuery(ARTICLE, { variables: { slug } });
  const [selected, setSelected] = useState<string | null>(null);
  if (loading && !data) return <Loading what="the article" />;
  if (error) return <ErrorMessage error={error} />;
  const article = data?.article;
  if (!article) return <PageTitle>No article is called “{slug}”</PageTitle>;

  const colours = speakerColours(article.quotes.map((q) => q.speaker?.id ?? null));
  const quote = article.quotes.find((q) => q.id === selected) ?? null;
  return (
    <article className="with-aside">
      <header className="article-header">
        <PageTitle>{article.title}</PageTitle>
        <p className="byline">
          {article.source ?? 'Unknown source'} · {formatDate(article.publishedAt)}
          {article.topics.length > 0 && ' · '}
          {article.topics.map((topic, i) => (
            <span key={topic.id}>
              {i > 0 && ', '}
              <Link to={`/topics/${topic.slug}`}>{topic.name}</Link>
            </span>
          ))}
        </p>
      </header>
      <div className="main-column">
        <p className="hint">Quotes are highlighted in their speaker’s colour: point at one, tab to it or click it for details.</p>
        <HighlightedText
          text={article.body}
          selected={selected}
          onSelect={setSelected}
          highlights={article.quotes.map((q) => ({
            id: q.id,
            startOffset: q.startOffset,
            endOffset: q.endOffset,
            speakerKey: q.speaker?.id ?? null,
            label: `${q.speaker?.name ?? 'Unattributed'} · ${q.kind}`,
          }))}
        />
      </div>
      <aside className="side-column">
        <section aria-labelledby="quote-details-title" className="quote-details" aria-live="polite">
          <h2 id="quote-details-title">Quote details</h2>
          {quote ? (
            <dl>
              <dt>Speaker</dt>
              <dd data-field="speaker">
                {quote.speaker ? <Link to={`/actors/${encodeURIComponent(quote.speaker.id)}`}>{quote.speaker.name}</Link> : 'Unattributed'}
              </dd>
              <dt>Quote</dt>
              <dd>“{quote.text}”</dd>
              <dt>Kind</dt>
              <dd data-field="kind">{quote.kind}</dd>
              <dt>Channel</dt>
              <dd>{quote.channel ?? 'not named'}</dd>
              <dt>Origin</dt>
              <dd data-field="origin">
                {quote.origin}
                {quote.confidence != null && ` (confidence ${quote.confidence.toFixed(2)})`}
              </dd>
            </dl>
          ) : (
            <p>Select a highlighted quote.</p>
          )}
        </section>
        <section aria-labelledby="actors-title">
          <h2 id="actors-title">Actors mentioned</h2>
          <ul className="actor-list">
            {article.actors.map((actor) => (
              <li key={actor.id}>
                <span className="swatch" style={{ backgroundColor: colours.get(actor.id) ?? UNATTRIBUTED }} aria-hidden="true" />
                <Link to={`/actors/${encodeURIComponent(actor.id)}`}>{actor.name}</Link>{' '}
                <span className="muted">{actor.kind.toLowerCase()}</span>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="positions-title">
          <h2 id="positions-title">Positions taken</h2>
          {article.positions.length === 0 && <p>None recorded.</p>}
          <ul className="position-list">
            {article.positions.map((position) => (
              <li key={position.id}>
                <span className={`stance stance-${position.stance}`}>{STANCE_LABEL[position.stance]}</span>{' '}
                <Link to={`/actors/${encodeURIComponent(position.actor.id)}`}>{position.actor.name}</Link> on{' '}
                <Link to={`/topics/${position.topic.slug}`}>{position.topic.name}</Link>: {position.summary}
              </li>
            ))}
          </ul>
        </section>
      </aside>
    </article>
  );
}
