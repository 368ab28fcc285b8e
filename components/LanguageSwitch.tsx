"use client";
import { useRouter } from "next/navigation";
import type { Language, Messages } from "@/lib/i18n/messages";

function rememberLanguage(language: Language) {
  document.cookie = `lang=${language}; path=/; max-age=31536000; samesite=lax`;
}

/** Switches the UI language; remembered in a cookie, applied by re-rendering on the server. */
export function LanguageSwitch({ lang, t }: { lang: Language; t: Messages }) {
  const router = useRouter();
  const choose = (next: Language) => {
    rememberLanguage(next);
    router.refresh();
  };
  return (
    <div
      role="group"
      aria-label={t.language}
      className="flex overflow-hidden rounded-lg border border-neutral-300 text-sm dark:border-neutral-700"
    >
      {(["en", "zh"] as const).map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          aria-pressed={lang === code}
          onClick={() => choose(code)}
          className={`min-h-11 px-2.5 py-1 whitespace-nowrap sm:min-h-9 ${lang === code ? "bg-neutral-900 text-white dark:bg-neutral-100 dark:text-neutral-900" : "hover:bg-neutral-100 dark:hover:bg-neutral-800"}`}
        >
          {code === "en" ? "EN" : "中文"}
        </button>
      ))}
    </div>
  );
}
