/**
 * Full-text helpers for SQLite FTS5. FTS5's unicode61 tokenizer splits on spaces and punctuation,
 * so a run of Chinese or Japanese characters would become one token and "雪山" could never match
 * "一座雪山". We index CJK text one character per token (as Elasticsearch's standard analyzer does)
 * and search a CJK run as a phrase of its characters, which keeps word order without a dictionary.
 */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_GLOBAL = new RegExp(CJK.source, "gu");
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[\p{L}\p{N}]+/gu;

/** Text as it is written into the FTS index. */
export function toIndexText(text: string): string {
  return text.replace(CJK_GLOBAL, (char) => ` ${char} `);
}

/**
 * An FTS5 MATCH expression that matches any of the query's words (OR, ranked by BM25, like an
 * Elasticsearch `match` query), or undefined when the query has no searchable characters.
 */
export function toMatchQuery(query: string): string | undefined {
  const terms = new Set<string>();
  for (const [token] of query.toLowerCase().matchAll(TOKEN)) {
    // Every term is quoted, so FTS5 operators in user input (AND, NEAR, *, ^) are plain text.
    terms.add(CJK.test(token) ? `"${[...token].join(" ")}"` : `"${token}"`);
  }
  return terms.size ? [...terms].join(" OR ") : undefined;
}
