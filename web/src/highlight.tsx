import type { ReactNode } from 'react';

/** A quote as the highlighter needs it: where it is, who said it (a key for the colour) and an id. */
export interface Highlight {
  id: string;
  startOffset: number | null | undefined;
  endOffset: number | null | undefined;
  speakerKey: string | null;
  label: string;
}

interface Span {
  highlight: Highlight;
  start: number;
  end: number;
  children: Span[];
}

/**
 * Quotes nest (a PARTIAL fragment inside the INDIRECT sentence that reports it): spans are sorted by
 * start, longest first, and each is drawn inside the innermost span that holds it. A span that
 * crosses the end of the one it starts in cannot be drawn as markup and is left out of the text
 * (it still shows in the lists beside it).
 */
function nest(highlights: readonly Highlight[], length: number): Span[] {
  const spans = highlights
    .flatMap((h) =>
      h.startOffset != null && h.endOffset != null && h.startOffset < h.endOffset && h.endOffset <= length
        ? [{ highlight: h, start: h.startOffset, end: h.endOffset, children: [] as Span[] }]
        : [],
    )
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const roots: Span[] = [];
  const open: Span[] = [];
  for (const span of spans) {
    while (open.length > 0 && (open[open.length - 1]?.end ?? 0) <= span.start) open.pop();
    const parent = open[open.length - 1];
    if (parent && span.end > parent.end) continue;
    (parent ? parent.children : roots).push(span);
    open.push(span);
  }
  return roots;
}

/** Eight colours that stay readable behind black text; speakers take them in order of appearance. */
const PALETTE = ['#ffe08a', '#b8e0ff', '#c8f2c2', '#ffc9de', '#e0d0ff', '#ffd3b0', '#b9f0ea', '#e8e8a0'];
export const UNATTRIBUTED = '#dddddd';

/** A colour per speaker key, in order of first appearance. */
export function speakerColours(keys: readonly (string | null)[]): Map<string, string> {
  const colours = new Map<string, string>();
  for (const key of keys) if (key !== null && !colours.has(key)) colours.set(key, PALETTE[colours.size % PALETTE.length] ?? UNATTRIBUTED);
  return colours;
}

export function HighlightedText({
  text,
  highlights,
  selected,
  onSelect,
}: {
  text: string;
  highlights: readonly Highlight[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const colours = speakerColours(highlights.map((h) => h.speakerKey));
  const render = (from: number, to: number, spans: Span[]): ReactNode[] => {
    const out: ReactNode[] = [];
    let at = from;
    for (const span of spans) {
      if (span.start > at) out.push(text.slice(at, span.start));
      const { highlight } = span;
      out.push(
        <mark
          key={highlight.id}
          className={`quote${selected === highlight.id ? ' selected' : ''}`}
          data-quote-id={highlight.id}
          style={{ backgroundColor: highlight.speakerKey ? colours.get(highlight.speakerKey) : UNATTRIBUTED }}
          tabIndex={0}
          title={highlight.label}
          onMouseEnter={() => onSelect(highlight.id)}
          onFocus={() => onSelect(highlight.id)}
          onClick={(event) => {
            event.stopPropagation();
            onSelect(highlight.id);
          }}
        >
          {render(span.start, span.end, span.children)}
        </mark>,
      );
      at = span.end;
    }
    if (at < to) out.push(text.slice(at, to));
    return out;
  };
  return <div className="article-body">{render(0, text.length, nest(highlights, text.length))}</div>;
}
