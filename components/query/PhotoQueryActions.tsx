"use client";
/** In the photo view: "More like this, but…" (the photo plus words) and "Not like this". */
import { useState } from "react";
import type { Messages } from "@/lib/i18n/messages";

export function PhotoQueryActions({ t, onLikeBut, onNotLike }: { t: Messages; onLikeBut: (text: string) => void; onNotLike?: () => void }) {
  const [text, setText] = useState("");
  return (
    <div className="mt-3 flex flex-col gap-2">
      <form
        className="flex gap-1.5"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) onLikeBut(text.trim());
        }}
      >
        <input
          aria-label={t.likeThisBut}
          placeholder={t.likeThisButPlaceholder}
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={200}
          className="min-w-0 flex-1 rounded-md border border-white/20 bg-white/5 px-2 py-1"
        />
        <button type="submit" className="rounded-md border border-white/20 px-2 py-1 whitespace-nowrap hover:bg-white/10">
          {t.likeThisBut}
        </button>
      </form>
      {onNotLike && (
        <button
          type="button"
          onClick={onNotLike}
          className="self-start rounded-md border border-rose-400/40 px-3 py-1.5 text-rose-200 hover:bg-rose-500/10"
        >
          {t.notLikeThis}
        </button>
      )}
    </div>
  );
}
