/**
 * Which text tower embeds a query. Two text encoders share CLIP's image space: CLIP's own text tower,
 * better on English (and only trained on it), and the multilingual encoder (a DistilBERT student
 * distilled into the same space, 50+ languages). English and other Latin-script queries CLIP's
 * tokenizer handles go to CLIP; anything else to the multilingual encoder.
 *
 * Language detection is eld (Efficient Language Detector: fast, no dependencies, its "small" n-gram
 * set, 1.6 MB, which the browser worker loads too, since it routes with this same module; the
 * extra-small set misroutes three times as many short English queries). The rules around it are for
 * what a detector cannot judge well:
 * - any letter outside the Latin script ("雪山", "iPhone 海边", "пляж") goes to the multilingual
 *   encoder: CLIP's text tower has almost never seen such text (1% recall@1 on Chinese);
 * - no letters at all (emoji, numbers) goes to CLIP, whose byte-level tokenizer knows emoji;
 * - Latin script goes to CLIP unless eld is sure of another language *and* that language beats
 *   English by a margin: short English queries are often mistaken for Danish or Dutch ("beach at
 *   sunset" scores da 0.70, en 0.67), and a wrong detection costs English queries more than a missed
 *   German one costs German queries (the multilingual encoder reads English too).
 */
import { eld } from "eld/small";

export type TextTower = "clip" | "multilingual";

export interface Route {
  tower: TextTower;
  /** ISO 639-1 code when known, "und" when not. */
  language: string;
}

/** Forces a tower (`textModel`) or states the query's language (`lang`); both come from the API. */
export interface RouteOverride {
  tower?: TextTower;
  lang?: string;
}

/**
 * How far another language's score must lead English's before a Latin-script query leaves CLIP.
 * Measured on 3,000 English Flickr8k captions and their first two and three words, plus short
 * queries ("a kitchen" reads as German): 0.10 misroutes 15, 0.15 five ("Hockey goalie", "A blonde");
 * 18 of 20 short German/French/Spanish/Italian/Dutch queries still reach the multilingual encoder.
 */
const LATIN_MARGIN = 0.15;

const SCRIPT_LANGUAGES: [RegExp, string][] = [
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, "ja"],
  [/\p{Script=Hangul}/u, "ko"],
  [/\p{Script=Han}/u, "zh"],
  [/\p{Script=Cyrillic}/u, "ru"],
  [/\p{Script=Arabic}/u, "ar"],
  [/\p{Script=Hebrew}/u, "he"],
  [/\p{Script=Greek}/u, "el"],
  [/\p{Script=Thai}/u, "th"],
  [/\p{Script=Devanagari}/u, "hi"],
];

export function routeQuery(text: string, override: RouteOverride = {}): Route {
  const detected = detect(text);
  if (override.tower) return { tower: override.tower, language: override.lang ?? detected.language };
  if (override.lang) return { tower: isEnglish(override.lang) ? "clip" : "multilingual", language: override.lang };
  return detected;
}

function detect(text: string): Route {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return { tower: "clip", language: "und" };
  if (letters.some((c) => !/\p{Script=Latin}/u.test(c))) return { tower: "multilingual", language: scriptLanguage(text) };
  const result = eld.detect(text);
  const scores = result.getScores();
  const top = result.language;
  if (!top || top === "en" || !result.isReliable()) return { tower: "clip", language: top === "en" ? "en" : "und" };
  const lead = (scores[top] ?? 0) - (scores.en ?? 0);
  return lead >= LATIN_MARGIN ? { tower: "multilingual", language: top } : { tower: "clip", language: "en" };
}

function scriptLanguage(text: string): string {
  const byScript = SCRIPT_LANGUAGES.find(([script]) => script.test(text))?.[1] ?? "und";
  // Kana, Hangul and Han name their language; mixed with Latin words ("iPhone 海边") eld may not.
  if (byScript === "ja" || byScript === "ko" || byScript === "zh") return byScript;
  // Scripts shared by several languages (Cyrillic: ru, uk, bg...): eld tells them apart.
  const detected = eld.detect(text);
  return detected.language && detected.isReliable() ? detected.language : byScript;
}

function isEnglish(lang: string): boolean {
  return /^en(-|$)/i.test(lang);
}
