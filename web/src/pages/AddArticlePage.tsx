import { useLazyQuery, useMutation } from '@apollo/client/react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { writeToken } from '../client.js';
import { ErrorMessage, PageTitle, STANCE_LABEL, STANCES } from '../components.js';
import { graphql } from '../gql/index.js';
import type { ExtractProposalQuery, QuoteKind, QuoteInput, PositionInput } from '../gql/graphql.js';
import { HighlightedText } from '../highlight.js';

const EXTRACT = graphql(`
  query ExtractProposal($title: String, $body: String!) {
    extract(title: $title, body: $body) {
      topics
      warnings
      actors {
        name
        kind
        aliases
        description
        affiliation
      }
      quotes {
        text
        kind
        speaker
        channel
        startOffset
        endOffset
        confidence
        origin
      }
      positions {
        actor
        topic
        stance
        summary
        quote
        confidence
        origin
      }
    }
  }
`);

const ADD_ARTICLE = graphql(`
  mutation SaveArticle($input: AddArticleInput!) {
    addArticle(input: $input) {
      created
      article {
        id
        slug
      }
    }
  }
`);

type Proposal = ExtractProposalQuery['extract'];
type ProposedQuote = Proposal['quotes'][number];
type ProposedPosition = Proposal['positions'][number];

/** A row of the review table: the item as it will be posted, and whether it is kept. */
interface Row<T> {
  key: string;
  item: T;
  keep: boolean;
}

const KINDS: QuoteKind[] = ['DIRECT', 'PARTIAL', 'INDIRECT'];

/** An item a person changed is theirs: ANNOTATED, still with the confidence of what was proposed. */
function corrected<T extends { origin?: unknown }>(item: T, change: Partial<T>): T {
  return { ...item, ...change, origin: 'ANNOTATED' };
}

function ColumnHeads({ names }: { names: string[] }) {
  return (
    <thead>
      <tr>
        {names.map((name) => (
          <th key={name} scope="col">
            {name}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function isUnauthenticated(error: unknown): boolean {
  return CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

export function AddArticlePage() {
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [source, setSource] = useState('');
  const [date, setDate] = useState('');
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [quotes, setQuotes] = useState<Row<ProposedQuote | QuoteInput>[]>([]);
  const [positions, setPositions] = useState<Row<ProposedPosition | PositionInput>[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [newQuote, setNewQuote] = useState({ text: '', kind: 'DIRECT' as QuoteKind, speaker: '' });
  const [askToken, setAskToken] = useState(false);
  const [token, setToken] = useState('');
  const [runExtract, extraction] = useLazyQuery(EXTRACT, { fetchPolicy: 'no-cache' });
  const [save, saving] = useMutation(ADD_ARTICLE);
  const [saveError, setSaveError] = useState<unknown>(null);

  const extract = async (event: FormEvent) => {
    event.preventDefault();
    const result = await runExtract({ variables: { title: title || null, body } }).catch(() => null);
    const answer = result?.data?.extract;
    if (!answer) return;
    setProposal(answer);
    setQuotes(answer.quotes.map((item, i) => ({ key: `q${i}`, item, keep: true })));
    setPositions(answer.positions.map((item, i) => ({ key: `p${i}`, item, keep: true })));
    setSelected(null);
  };

  const updateQuote = (key: string, change: Partial<QuoteInput>) =>
    setQuotes((rows) => rows.map((row) => (row.key === key ? { ...row, item: corrected(row.item, change) } : row)));
  const updatePosition = (key: string, change: Partial<PositionInput>) =>
    setPositions((rows) => rows.map((row) => (row.key === key ? { ...row, item: corrected(row.item, change) } : row)));

  const addMissingQuote = (event: FormEvent) => {
    event.preventDefault();
    if (!newQuote.text.trim()) return;
    const item: QuoteInput = {
      text: newQuote.text.trim(),
      kind: newQuote.kind,
      speaker: newQuote.speaker.trim() || null,
      origin: 'ANNOTATED',
    };
    setQuotes((rows) => [...rows, { key: `added${rows.length}`, item, keep: true }]);
    setNewQuote({ text: '', kind: 'DIRECT', speaker: '' });
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!proposal) return;
    if (askToken) {
      if (!token) return;
      writeToken.set(token);
      setAskToken(false);
    }
    setSaveError(null);
    const keptQuotes = quotes.filter((row) => row.keep).map((row) => row.item);
    const keptTexts = new Set(keptQuotes.map((q) => q.text));
    // A position whose evidence was dropped stays, without the quote: a change a person made.
    const keptPositions = positions
      .filter((row) => row.keep)
      .map((row) => (row.item.quote && !keptTexts.has(row.item.quote) ? corrected(row.item, { quote: null }) : row.item));
    try {
      const result = await save({
        variables: {
          input: {
            title,
            body,
            source: source || null,
            publishedAt: date ? new Date(`${date}T00:00:00Z`).toISOString() : null,
            topics: proposal.topics,
            actors: proposal.actors,
            quotes: keptQuotes,
            positions: keptPositions,
          },
        },
      });
      const slug = result.data?.addArticle.article.slug;
      if (slug) void navigate(`/articles/${slug}`);
    } catch (error) {
      if (isUnauthenticated(error)) {
        writeToken.clear();
        setAskToken(true);
      }
      setSaveError(error);
    }
  };

  const actorNames = proposal?.actors.map((a) => a.name) ?? [];
  return (
    <div>
      <PageTitle>Add an article</PageTitle>
      <form className="article-form" onSubmit={(e) => void extract(e)}>
        <label>
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} required />
        </label>
        <label>
          Body
          <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={10} required />
        </label>
        <div className="row">
          <label>
            Source
            <input value={source} onChange={(e) => setSource(e.target.value)} />
          </label>
          <label>
            Published on
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
        </div>
        <button type="submit" disabled={extraction.loading}>
          {extraction.loading ? 'Reading…' : 'Run the extractor'}
        </button>
      </form>
      {extraction.error && <ErrorMessage error={extraction.error} />}

      {proposal && (
        <section aria-labelledby="review-title" className="review">
          <h2 id="review-title">Review the proposal</h2>
          {proposal.warnings.map((warning) => (
            <p key={warning} className="warning">
              {warning}
            </p>
          ))}
          <HighlightedText
            text={body}
            selected={selected}
            onSelect={setSelected}
            highlights={quotes
              .filter((row) => row.keep)
              .map((row) => ({
                id: row.key,
                startOffset: row.item.startOffset,
                endOffset: row.item.endOffset,
                speakerKey: row.item.speaker ?? null,
                label: `${row.item.speaker ?? 'Unattributed'} · ${row.item.kind}`,
              }))}
          />
          <datalist id="actor-names">
            {actorNames.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <div className="table-scroll">
            <table className="review-table" aria-label="Quotes">
              <ColumnHeads names={['Keep', 'Quote', 'Speaker', 'Kind', 'Origin']} />
              <tbody>
                {quotes.map((row) => (
                  <tr key={row.key} className={`${row.keep ? '' : 'dropped'}${selected === row.key ? ' selected' : ''}`} data-row={row.key}>
                    <td>
                      <input
                        type="checkbox"
                        checked={row.keep}
                        aria-label={`Keep “${row.item.text}”`}
                        onChange={(e) => setQuotes((rows) => rows.map((r) => (r.key === row.key ? { ...r, keep: e.target.checked } : r)))}
                      />
                    </td>
                    <td className="quote-text">{row.item.text}</td>
                    <td>
                      <input
                        list="actor-names"
                        aria-label={`Speaker of “${row.item.text}”`}
                        value={row.item.speaker ?? ''}
                        onChange={(e) => updateQuote(row.key, { speaker: e.target.value || null })}
                      />
                    </td>
                    <td>
                      <select
                        aria-label={`Kind of “${row.item.text}”`}
                        value={row.item.kind}
                        onChange={(e) => updateQuote(row.key, { kind: e.target.value as QuoteKind })}
                      >
                        {KINDS.map((kind) => (
                          <option key={kind}>{kind}</option>
                        ))}
                      </select>
                    </td>
                    <td>
                      {row.item.origin ?? 'ANNOTATED'}
                      {row.item.confidence != null && ` ${row.item.confidence.toFixed(2)}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <form className="add-quote" aria-label="Add a missing quote" onSubmit={addMissingQuote}>
            <label>
              Missing quote
              <input value={newQuote.text} onChange={(e) => setNewQuote({ ...newQuote, text: e.target.value })} />
            </label>
            <label>
              Speaker
              <input list="actor-names" value={newQuote.speaker} onChange={(e) => setNewQuote({ ...newQuote, speaker: e.target.value })} />
            </label>
            <label>
              Kind
              <select value={newQuote.kind} onChange={(e) => setNewQuote({ ...newQuote, kind: e.target.value as QuoteKind })}>
                {KINDS.map((kind) => (
                  <option key={kind}>{kind}</option>
                ))}
              </select>
            </label>
            <button type="submit">Add quote</button>
          </form>

          {positions.length > 0 && (
            <div className="table-scroll">
              <table className="review-table" aria-label="Positions">
                <ColumnHeads names={['Keep', 'Actor', 'Topic', 'Stance', 'Origin']} />
                <tbody>
                  {positions.map((row) => (
                    <tr key={row.key} className={row.keep ? '' : 'dropped'}>
                      <td>
                        <input
                          type="checkbox"
                          checked={row.keep}
                          aria-label={`Keep the position of ${row.item.actor} on ${row.item.topic}`}
                          onChange={(e) =>
                            setPositions((rows) => rows.map((r) => (r.key === row.key ? { ...r, keep: e.target.checked } : r)))
                          }
                        />
                      </td>
                      <td>{row.item.actor}</td>
                      <td>{row.item.topic}</td>
                      <td>
                        <select
                          aria-label={`Stance of ${row.item.actor} on ${row.item.topic}`}
                          value={row.item.stance}
                          onChange={(e) => updatePosition(row.key, { stance: e.target.value as (typeof STANCES)[number] })}
                        >
                          {STANCES.map((stance) => (
                            <option key={stance} value={stance}>
                              {STANCE_LABEL[stance]}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>{row.item.origin ?? 'ANNOTATED'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <form className="save" onSubmit={(e) => void submit(e)}>
            {askToken && (
              <label>
                Write token (asked once, kept for this tab)
                <input type="password" value={token} onChange={(e) => setToken(e.target.value)} autoFocus required />
              </label>
            )}
            <button type="submit" disabled={saving.loading}>
              {saving.loading ? 'Saving…' : 'Save the article'}
            </button>
          </form>
          {saveError !== null && <ErrorMessage error={saveError} />}
        </section>
      )}
    </div>
  );
}
