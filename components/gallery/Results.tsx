"use client";
import type { ApiHit } from "@/lib/search/client";
import { groupByMonth } from "@/lib/timeline";
import type { Language, Messages } from "@/lib/i18n/messages";
import { JustifiedGrid } from "../JustifiedGrid";

/**
 * The results: one justified grid in relevance order, or a timeline (a grid per month under its
 * heading) when browsing or ordering by date.
 */
export function Results({
  hits,
  timeline,
  holdLastRow,
  showScores,
  onOpen,
  t,
  lang,
}: {
  hits: ApiHit[];
  timeline: boolean;
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
  const groups = groupByMonth(hits);
  const monthName = new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", { year: "numeric", month: "long", timeZone: "UTC" });
  return (
    <div className="flex flex-col gap-4">
      {groups.map((group, i) => {
        const heading = group.month ? monthName.format(new Date(`${group.month}-01T00:00:00Z`)) : t.undated;
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
      })}
    </div>
  );
}
