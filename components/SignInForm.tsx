"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { format } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";

/** Auth.js's error codes: a wrong password, an account OIDC_ALLOWED_USERS leaves out, or else the code. */
function errorMessage(code: string, t: Messages): string {
  if (code === "CredentialsSignin") return t.signInFailed;
  if (code === "AccessDenied") return t.signInNotAllowed;
  return format(t.signInError, { code });
}

/** The admin account's form and, when configured, the team's single sign-on button. */
export function SignInForm({ admin, oidc, error, t }: { admin: boolean; oidc?: string; error?: string; t: Messages }) {
  const [message, setMessage] = useState(error && errorMessage(error, t));
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const submit = async (form: FormData) => {
    setBusy(true);
    setMessage(undefined);
    const result = await signIn("admin", { username: form.get("username"), password: form.get("password"), redirect: false });
    setBusy(false);
    if (result?.error) setMessage(errorMessage(result.error, t));
    else {
      router.replace("/");
      router.refresh(); // the gallery is rendered on the server, now with the session
    }
  };
  const field =
    "w-full rounded-lg border border-neutral-300 bg-white px-3 py-2 outline-none focus:ring-2 focus:ring-sky-500 dark:border-neutral-700 dark:bg-neutral-900";
  return (
    <div className="flex flex-col gap-4">
      {admin && (
        <form action={submit} className="flex flex-col gap-3">
          <label className="flex flex-col gap-1 text-sm">
            {t.userName}
            <input name="username" autoComplete="username" required className={field} />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            {t.password}
            <input name="password" type="password" autoComplete="current-password" required className={field} />
          </label>
          <button
            type="submit"
            disabled={busy}
            className="rounded-lg bg-sky-700 px-3 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-50"
          >
            {t.signIn}
          </button>
        </form>
      )}
      {oidc && (
        <button
          type="button"
          onClick={() => void signIn("oidc", { redirectTo: "/" })}
          className="rounded-lg border border-neutral-300 px-3 py-2 font-medium hover:bg-neutral-100 dark:border-neutral-700 dark:hover:bg-neutral-800"
        >
          {format(t.signInWith, { provider: oidc })}
        </button>
      )}
      {!admin && !oidc && <p className="text-sm text-neutral-600 dark:text-neutral-400">{t.signInUnavailable}</p>}
      {message && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {message}
        </p>
      )}
    </div>
  );
}
