"use client";
import type { Messages } from "@/lib/i18n/messages";

/**
 * Opens or closes the map. The icon is an inline SVG, not an emoji: Debian's Chromium (and many
 * Linux desktops) have no colour emoji font and drew "🗺" as an empty box.
 */
export function MapToggle({ open, onToggle, t }: { open: boolean; onToggle: () => void; t: Messages }) {
  return (
    <button
      type="button"
      aria-pressed={open}
      data-testid="map-toggle"
      onClick={onToggle}
      className="inline-flex min-h-11 items-center gap-1.5 rounded-md border border-neutral-300 px-2.5 text-sm hover:bg-neutral-100 dark:border-neutral-700 dark:hover:bg-neutral-800"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="h-4 w-4"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinejoin="round"
      >
        <path d="M9 4 3 6v14l6-2 6 2 6-2V4l-6 2-6-2Z" />
        <path d="M9 4v14M15 6v14" />
      </svg>
      {open ? t.hideMap : t.showMap}
    </button>
  );
}
