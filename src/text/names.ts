/**
 * How names are compared. News text writes the same name with curly or straight apostrophes,
 * different dashes and stray spacing ("Russia’s foreign ministry", "Russia's  foreign ministry"),
 * so names and aliases are matched on a folded key rather than on their exact text.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201B\u2032`´]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** A URL-safe slug: lower-case ASCII letters and digits joined by single hyphens. */
export function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      // "China's neutrality" -> "chinas-neutrality": an apostrophe joins, it does not separate.
      .replace(/['\u2019]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
      .replace(/-+$/, '')
  );
}
