/**
 * The timeline: photos grouped by the month they were taken, newest first, undated ones last. Pure,
 * for the gallery's browse view and for search results ordered by date.
 */
export interface Dated {
  photo: { takenAt?: string };
}

export interface TimelineGroup<T> {
  /** "2008-10", or "" for photos without a date. */
  month: string;
  /** The items of the group, each with its position in the original list. */
  items: { item: T; index: number }[];
}

/** The month a photo was taken ("YYYY-MM", wall-clock time as recorded), or "" when unknown. */
export function monthOf(takenAt: string | undefined): string {
  return takenAt && /^\d{4}-\d{2}/.test(takenAt) ? takenAt.slice(0, 7) : "";
}

/** Consecutive items of the same month form one group (the list is expected to be in date order). */
export function groupByMonth<T extends Dated>(items: T[]): TimelineGroup<T>[] {
  const groups: TimelineGroup<T>[] = [];
  items.forEach((item, index) => {
    const month = monthOf(item.photo.takenAt);
    const last = groups.at(-1);
    if (last && last.month === month) last.items.push({ item, index });
    else groups.push({ month, items: [{ item, index }] });
  });
  return groups;
}

/** Newest first, undated last; stable, so equal dates keep their relevance order. */
export function byDateNewestFirst<T extends Dated>(items: T[]): T[] {
  const time = (item: T) => (item.photo.takenAt ? Date.parse(item.photo.takenAt) : Number.NEGATIVE_INFINITY);
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => time(b.item) - time(a.item) || a.i - b.i)
    .map(({ item }) => item);
}
