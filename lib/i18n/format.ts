/**
 * The helpers that turn the UI's text into sentences: placeholders, plural forms, error advice and
 * the language choice. Browser-safe and small: components import these, never the message tables
 * (./messages), which would put both languages into the first page's JavaScript.
 */
import type { Messages } from "./messages";
import { ERROR_CODES, type Plural } from "./types";

export type Language = "en" | "zh";

/** The UI's words for an API error code, else the server's own message. */
export function errorText(t: Messages, code: string, message: string): string {
  return t.errorCodes[code] ?? message;
}

/**
 * Counts are written and pluralized here without Intl for whole numbers (all the UI counts): the
 * first Intl.NumberFormat a page constructs costs 30-100 ms on a mid-range phone (the ICU data it
 * loads), the first Intl.DateTimeFormat up to 40, and the gallery's first render (its hydration, one
 * task) shows counts and month headings. The rules are CLDR's, as Intl applies them: English "one"
 * for 1 (or -1), Chinese only "other"; both group digits by thousands with commas. Other numbers
 * still go through Intl.
 */
function pluralCategory(lang: Language, count: number): string {
  if (Number.isInteger(count)) return lang === "en" && Math.abs(count) === 1 ? "one" : "other";
  return new Intl.PluralRules(locale(lang)).select(count);
}

/** A count as the language writes it ("12,345" in English and in Chinese). */
export function formatCount(lang: Language, count: number): string {
  if (!Number.isSafeInteger(count)) return new Intl.NumberFormat(locale(lang)).format(count);
  const digits = String(Math.abs(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return count < 0 ? `-${digits}` : digits;
}

/** The form of a counted message for `count` under the language's plural rules. */
export function plural(lang: Language, forms: Plural, count: number, values: Record<string, string | number> = {}): string {
  const template = (pluralCategory(lang, count) === "one" ? forms.one : undefined) ?? forms.other;
  return format(template, { count: formatCount(lang, count), ...values });
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** A month ("2022-08") as a heading: "August 2022", "2022年8月" (what Intl's long month and numeric year give). */
export function monthHeading(lang: Language, month: string): string {
  const [year, number] = month.split("-").map(Number) as [number, number];
  return lang === "zh" ? `${year}年${number}月` : `${MONTHS[number - 1]} ${year}`;
}

function locale(lang: Language): string {
  return lang === "zh" ? "zh-CN" : "en";
}

/** The translated message and advice for an API error code (unknown codes read as a generic error). */
export function errorAdvice(t: Messages, code: string): { message: string; action: string } {
  if ((ERROR_CODES as readonly string[]).includes(code)) return t.errors[code as keyof Messages["errors"]];
  // Codes of sign-in and upload details have one sentence that already says what to do.
  const known = t.errorCodes[code];
  return known ? { message: known, action: "" } : t.errors.http;
}

export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? `{${key}}`));
}

/** The cookie's choice, else the first supported language the browser asks for, else English. */
export function pickLanguage(cookie: string | undefined, acceptLanguage: string | null): Language {
  if (cookie === "en" || cookie === "zh") return cookie;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = (part.split(";")[0] ?? "").trim().toLowerCase();
    if (tag.startsWith("zh")) return "zh";
    if (tag.startsWith("en")) return "en";
  }
  return "en";
}
