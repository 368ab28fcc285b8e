"use client";
import { useState } from "react";
import type { Messages } from "@/lib/i18n/messages";
import type { TextMode } from "@/lib/search/url-state";

export function SearchBar({
  initial,
  mode,
  withImage = false,
  onSearch,
  onPickImage,
  t,
}: {
  initial: string;
  mode: TextMode;
  /** An image query is on: the words join it (a composed query is searched by meaning only). */
  withImage?: boolean;
  onSearch: (q: string, mode: TextMode) => void;
  onPickImage: (file: File) => void;
  t: Messages;
}) {
  const [text, setText] = useState(initial);
  const [currentMode, setMode] = useState<TextMode>(mode);
  return (
    <form
      role="search"
      className="flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text.trim(), currentMode);
      }}
    >
      <label htmlFor="q" className="sr-only">
        {t.searchLabel}
      </label>
      <input
        id="q"
        name="q"
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={withImage ? t.addWordsPlaceholder : t.searchPlaceholder}
        autoComplete="off"
        maxLength={1000}
        className="min-h-11 min-w-0 flex-1 basis-48 rounded-lg border border-neutral-400 bg-white px-3 py-2 shadow-sm outline-none focus:border-sky-600 focus:ring-2 focus:ring-sky-600/40 dark:border-neutral-600 dark:bg-neutral-900"
      />
      <label className="sr-only" htmlFor="mode">
        {t.mode}
      </label>
      <select
        id="mode"
        value={withImage ? "semantic" : currentMode}
        disabled={withImage}
        onChange={(e) => setMode(e.target.value as TextMode)}
        className="min-h-11 rounded-lg border border-neutral-400 bg-white px-2 py-2 dark:border-neutral-600 dark:bg-neutral-900"
      >
        <option value="semantic">{t.modeSemantic}</option>
        <option value="text">{t.modeText}</option>
        <option value="hybrid">{t.modeHybrid}</option>
      </select>
      <button type="submit" className="min-h-11 rounded-lg bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800">
        {t.search}
      </button>
      <label className="inline-flex min-h-11 cursor-pointer items-center rounded-lg border border-neutral-400 px-3 py-2 focus-within:ring-2 focus-within:ring-sky-500 hover:bg-neutral-100 dark:border-neutral-600 dark:hover:bg-neutral-800">
        {t.pickImage}
        <input
          type="file"
          accept="image/*"
          className="sr-only"
          data-testid="pick-image"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onPickImage(file);
            e.target.value = "";
          }}
        />
      </label>
    </form>
  );
}
