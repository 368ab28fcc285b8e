"use client";
import type { ApiHit } from "@/lib/search/client";
import { groupByMonth } from "@/lib/timeline";
import { monthHeading } from "@/lib/i18n/format";
import type { Language, Messages } from "@/lib/i18n/messages";
import { JustifiedGrid } from "../JustifiedGrid";

/**
 * The results: one justified grid in relevance order, or a timeline (a grid per month under its
 * heading) when browsing or ordering by date. With the cut-off off, a date-ordered search lists the
 * relevant photos in date order and then the less relevant ones in their own date order
 * (lib/search/ranking): `relevantFirst` says how many lead, and the rest get a heading of their own,
 * so the months never seem to jump back in time.
 */
export function Results({
  hits,
  timeline,
  relevantFirst,
  holdLastRow,
  showScores,
  onOpen,
  t,
  lang,
}: {
  hits: ApiHit[];
  timeline: boolean;
  relevantFirst?: number;
  holdLastRow: boolean;
  showScores: boolean;
  onOpen: (index: number) => void;
  t: Messages;
  lang: Language;
}) {
  if (!timeline) {
    return (
      <JustifiedGrid
        items={hits.map((item, index) => ({ item, index }))}
        onOpen={onOpen}
        t={t}
        showScores={showScores}
        holdLastRow={holdLastRow}
      />
    );
  }
  const split = relevantFirst !== undefined && relevantFirst < hits.length ? relevantFirst : hits.length;
  const relevant = monthSections(hits.slice(0, split), 0, {
    t,
    lang,
    onOpen,
    showScores,
    holdLastRow: holdLastRow && split === hits.length,
  });
  if (split === hits.length) return <div className="flex flex-col gap-4">{relevant}</div>;
  return (
    <div className="flex flex-col gap-4">
      {relevant}
      <div className="flex flex-col gap-4" data-group="less-relevant">
        <h2 className="border-t border-neutral-300 pt-3 text-sm font-semibold text-neutral-700 dark:border-neutral-700 dark:text-neutral-300">
          {t.lessRelevantHeading}
        </h2>
        {monthSections(hits.slice(split), split, { t, lang, onOpen, showScores, holdLastRow })}
      </div>
    </div>
  );
}

/** A section per month of `hits` (already in date order); `first` is the index of hits[0] in the whole list. */
function monthSections(
  hits: ApiHit[],
  first: number,
  {
    t,
    lang,
    onOpen,
    showScores,
    holdLastRow,
  }: { t: Messages; lang: Language; onOpen: (index: number) => void; showScores: boolean; holdLastRow: boolean },
) {
  const groups = groupByMonth(hits).map((group) => ({
    ...group,
    items: group.items.map(({ item, index }) => ({ item, index: first + index })),
  }));
  return groups.map((group, i) => {
    const heading = group.month ? monthHeading(lang, group.month) : t.undated;
    return (
      // A month can come back in a list that is not in date order (a stale page while a new order loads): key by position too.
      <section key={`${group.month}:${group.items[0]?.index}`} aria-label={heading} data-month={group.month}>
        <h2 className="mb-2 text-sm font-semibold text-neutral-700 dark:text-neutral-300">{heading}</h2>
        <JustifiedGrid
          items={group.items}
          onOpen={onOpen}
          t={t}
          showScores={showScores}
          holdLastRow={holdLastRow && i === groups.length - 1}
        />
      </section>
    );
  });
}
