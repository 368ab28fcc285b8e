/**
 * Weighted positive and negative terms, rclip-style: `2:sunset + night - people`, plus the search-box
 * habit of a leading minus on a word: `beach -people`, `海滩 -人`. A weight is `<number>:` before a term.
 */
import { badRequest } from "@/lib/errors";
import type { QueryTerm } from "./types";

export const MAX_TERMS = 8;
export const MAX_WEIGHT = 10;

/** ` + ` and ` - ` with spaces on both sides join whole terms; a leading `-word` negates one word. */
const OPERATOR = /\s+([+-])\s+/;
const NEGATED_WORD = /(?:^|\s)[-－](\S+)/g;
const WEIGHT = /^(\d+(?:\.\d+)?|\.\d+)\s*[:：]\s*/;

export interface ParsedTerms {
  positive: QueryTerm[];
  negative: QueryTerm[];
}

export function parseTerms(text: string): ParsedTerms {
  const positive: QueryTerm[] = [];
  const negative: QueryTerm[] = [];
  const parts = ` ${text} `.split(OPERATOR);
  // split with a capture group alternates term, operator, term, ...
  for (let i = 0; i < parts.length; i += 2) {
    const sign = i === 0 ? "+" : parts[i - 1];
    const segment = parts[i]?.trim() ?? "";
    if (!segment) continue;
    const target = sign === "-" ? negative : positive;
    const { weight, rest } = readWeight(segment);
    if (sign === "-") {
      target.push({ text: rest, weight });
      continue;
    }
    const words: string[] = [];
    const remaining = rest.replace(NEGATED_WORD, (_match, word: string) => {
      words.push(word);
      return " ";
    });
    const term = remaining.replace(/\s+/g, " ").trim();
    if (term) positive.push({ text: term, weight });
    for (const word of words) negative.push({ text: word, weight: 1 });
  }
  if (positive.length + negative.length > MAX_TERMS) throw badRequest(`a query takes at most ${MAX_TERMS} terms`);
  return { positive: merge(positive), negative: merge(negative) };
}

function readWeight(segment: string): { weight: number; rest: string } {
  const match = WEIGHT.exec(segment);
  if (!match?.[1]) return { weight: 1, rest: segment };
  const weight = Number(match[1]);
  if (!(weight > 0 && weight <= MAX_WEIGHT)) throw badRequest(`a term weight must be above 0 and at most ${MAX_WEIGHT}`);
  return { weight, rest: segment.slice(match[0].length).trim() };
}

/** The same term twice adds its weights, so `dog + dog` is `2:dog`. */
function merge(terms: QueryTerm[]): QueryTerm[] {
  const byText = new Map<string, QueryTerm>();
  for (const term of terms) {
    if (!term.text) continue;
    const seen = byText.get(term.text);
    if (seen) seen.weight += term.weight;
    else byText.set(term.text, { ...term });
  }
  return [...byText.values()];
}

/** The text of terms back in query syntax, for a query box after a chip was removed. */
export function formatTerms({ positive, negative }: ParsedTerms): string {
  const show = (term: QueryTerm) => (term.weight === 1 ? term.text : `${term.weight}:${term.text}`);
  return [positive.map(show).join(" + "), ...negative.map((term) => `- ${show(term)}`)].filter(Boolean).join(" ");
}
