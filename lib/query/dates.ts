/**
 * Dates typed into the query ("beach July 2023", "去年夏天 海边", "snow 2019") become an inclusive
 * date range plus the rest of the text. chrono-node reads days and months in English and Chinese;
 * a few parsers added to it read what it leaves alone: bare years, relative years and seasons.
 * Seasons are the northern hemisphere's meteorological ones (summer = June to August).
 */
import * as chrono from "chrono-node";
import type { DateRange } from "./types";

type Components = Partial<Record<"year" | "month" | "day", number>>;
type Span = { start: Components; end: Components };

const SEASON_MONTHS: Record<string, [number, number]> = {
  spring: [3, 5],
  summer: [6, 8],
  autumn: [9, 11],
  fall: [9, 11],
  winter: [12, 2],
  春: [3, 5],
  夏: [6, 8],
  秋: [9, 11],
  冬: [12, 2],
};

const RELATIVE_YEAR: Record<string, number> = {
  "last year": -1,
  "this year": 0,
  "next year": 1,
  前年: -2,
  去年: -1,
  今年: 0,
  明年: 1,
};

/** A season as a start and end month; winter runs into the next year. */
function season(name: string, year: number, context: chrono.ParsingContext, index: number, text: string) {
  const [from, to] = SEASON_MONTHS[name] ?? [1, 12];
  const endYear = to < from ? year + 1 : year;
  return context.createParsingResult(index, text, { year, month: from, day: 1 }, { year: endYear, month: to, day: lastDay(endYear, to) });
}

const englishParsers: chrono.Parser[] = [
  {
    // "summer 2019", "last summer", "this winter", "summer of 2019"
    pattern: () =>
      /\b(?:(last|this|next)\s+(spring|summer|autumn|fall|winter)|(spring|summer|autumn|fall|winter)\s+(?:of\s+)?((?:19|20)\d{2}))\b/i,
    extract: (context, match) => {
      const refYear = context.refDate.getUTCFullYear();
      const relative = match[1]?.toLowerCase();
      const name = (match[2] ?? match[3] ?? "").toLowerCase();
      const year = relative ? refYear + (relative === "last" ? -1 : relative === "next" ? 1 : 0) : Number(match[4]);
      return season(name, year, context, match.index ?? 0, match[0]);
    },
  },
  {
    pattern: () => /\b(last year|this year|next year)\b/i,
    extract: (context, match) => ({ year: context.refDate.getUTCFullYear() + (RELATIVE_YEAR[(match[1] ?? "").toLowerCase()] ?? 0) }),
  },
];

/** A bare year ("snow 2019"): chrono's refiners drop a lone number, so it is read here, last. */
const BARE_YEAR = /(?<![\d.:/-])((?:19|20)\d{2})(?![\d.:/%-]|s\b)/;

function bareYear(text: string): { index: number; text: string; range: { from: string; to: string } } | undefined {
  const match = BARE_YEAR.exec(text);
  if (!match?.[1]) return undefined;
  const year = Number(match[1]);
  return { index: match.index, text: match[0], range: { from: isoDate(year, 1, 1), to: isoDate(year, 12, 31) } };
}

const chineseParsers: chrono.Parser[] = [
  {
    // 去年夏天, 2019年冬季, 今年春天
    pattern: () => /(前年|去年|今年|明年|((?:19|20)\d{2})\s*年)\s*的?\s*(春|夏|秋|冬)(?:天|季)/,
    extract: (context, match) => {
      const refYear = context.refDate.getUTCFullYear();
      const year = match[2] ? Number(match[2]) : refYear + (RELATIVE_YEAR[match[1] ?? ""] ?? 0);
      return season(match[3] ?? "", year, context, match.index ?? 0, match[0]);
    },
  },
  {
    pattern: () => /(前年|去年|今年|明年)/,
    extract: (context, match) => ({ year: context.refDate.getUTCFullYear() + (RELATIVE_YEAR[match[1] ?? ""] ?? 0) }),
  },
  {
    pattern: () => /(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)/,
    extract: (_context, match) => ({ year: Number(match[1]) }),
  },
];

function withParsers(base: chrono.Chrono, parsers: chrono.Parser[]): chrono.Chrono {
  const custom = base.clone();
  custom.parsers.push(...parsers);
  return custom;
}

let parsers: chrono.Chrono[] | undefined;
function allParsers(): chrono.Chrono[] {
  parsers ??= [withParsers(chrono.casual, englishParsers), withParsers(chrono.zh.hans.casual, chineseParsers), chrono.zh.hant.casual];
  return parsers;
}

/** Every component chrono is certain of, or implied by the expression (e.g. "yesterday"'s day). */
function known(component: chrono.ParsedComponents | null | undefined): Components {
  if (!component) return {};
  const out: Components = {};
  for (const key of ["year", "month", "day"] as const) {
    if (component.isCertain(key)) out[key] = component.get(key) ?? undefined;
  }
  return out;
}

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The first day covered by `start` and the last day covered by `end`, at their own granularity. */
function toRange({ start, end }: Span): { from: string; to: string } | undefined {
  if (start.year === undefined || end.year === undefined) return undefined;
  const from = isoDate(start.year, start.month ?? 1, start.day ?? 1);
  const toMonth = end.month ?? 12;
  const to = isoDate(end.year, toMonth, end.day ?? lastDay(end.year, toMonth));
  return from <= to ? { from, to } : undefined;
}

export interface DateExtraction {
  dateRange?: DateRange;
  /** The query with the date words (and a preposition right before them) taken out. */
  rest: string;
}

/**
 * A time of day alone. chrono's Chinese parser dates these to today ("夜晚" night, "下午" afternoon,
 * even the 夜 of "夜景" night scene), which would filter "like this, but 夜晚" to photos taken today;
 * they are words to search by. With a day word they stay dates (今晚 tonight, 昨晚 last night).
 */
const TIME_OF_DAY_ONLY = /^(?:夜|夜晚|晚|晚上|早上|上午|中午|下午|凌晨)$/;

/** Finds the first date expression with a known year; `now` anchors "last summer" and "去年". */
export function extractDateRange(text: string, now: Date = new Date()): DateExtraction {
  const results = allParsers()
    .flatMap((parser) => parser.parse(text, { instant: now, timezone: 0 }))
    .map((result) => {
      if (TIME_OF_DAY_ONLY.test(result.text.trim())) return undefined;
      const start = known(result.start);
      const end = result.end ? known(result.end) : start;
      // A day or month without a year ("July", "14号") is not a range we can filter on.
      const range = toRange({ start: { ...start }, end: { ...end } });
      return range ? { result, range } : undefined;
    })
    .filter((found) => found !== undefined)
    // The longest expression wins ("July 2023" over "2023"), then the earliest.
    .sort((a, b) => b.result.text.length - a.result.text.length || a.result.index - b.result.index);
  const best = results[0] ? { index: results[0].result.index, text: results[0].result.text, range: results[0].range } : bareYear(text);
  if (!best) return { rest: text };
  const { index, text: words } = best;
  const before = text.slice(0, index).replace(/(?:\b(?:in|from|during|of|on|taken)\s*|在\s*|拍摄于\s*)$/i, "");
  const rest = `${before} ${text.slice(index + words.length)}`.replace(/\s+/g, " ").trim();
  return { dateRange: { ...best.range, text: words.trim() }, rest };
}
