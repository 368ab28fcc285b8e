"use client";
import type { Messages } from "@/lib/i18n/messages";
import { format } from "@/lib/i18n/format";

/**
 * Auth.js's client (next-auth/react and Auth.js's error classes: 34 kB of source, about 1 kB of the
 * page's compressed JavaScript) loads when someone signs out, not with every page.
 */
async function signOutAndReturnHome() {
  const { signOut } = await import("next-auth/react");
  await signOut({ redirectTo: "/" });
}

/** Sign in, or who is signed in and a way out. Nothing when the server runs without sign-in. */
export function AccountButton({ user, authEnabled, t }: { user?: string; authEnabled: boolean; t: Messages }) {
  if (!authEnabled) return null;
  const button =
    "inline-flex min-h-11 items-center rounded-lg border border-neutral-300 px-3 py-1.5 text-sm hover:bg-neutral-100 sm:min-h-9 dark:border-neutral-700 dark:hover:bg-neutral-800"; // 44 px targets on phones
  if (!user) {
    return (
      <a href="/signin" className={button}>
        {t.signIn}
      </a>
    );
  }
  return (
    <span className="flex items-center gap-2 text-sm">
      <span
        className="hidden max-w-40 truncate text-neutral-600 dark:text-neutral-400 sm:inline"
        title={format(t.signedInAs, { name: user })}
      >
        {user}
      </span>
      <button type="button" className={button} onClick={() => void signOutAndReturnHome()}>
        {t.signOut}
      </button>
    </span>
  );
}
