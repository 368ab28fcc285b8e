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

/** The form of a counted message for `count` under the language's plural rules. */
export function plural(lang: Language, forms: Plural, count: number, values: Record<string, string | number> = {}): string {
  const category = new Intl.PluralRules(lang === "zh" ? "zh-CN" : "en").select(count);
  const template = (category === "one" ? forms.one : undefined) ?? forms.other;
  return format(template, { count: new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en").format(count), ...values });
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
