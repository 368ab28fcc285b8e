import { cookies, headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LanguageSwitch } from "@/components/LanguageSwitch";
import { SignInForm } from "@/components/SignInForm";
import { pageAccess } from "@/lib/auth";
import { LANGUAGES, pickLanguage } from "@/lib/i18n/messages";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignIn({ searchParams }: Props) {
  const lang = pickLanguage((await cookies()).get("lang")?.value, (await headers()).get("accept-language"));
  const t = LANGUAGES[lang];
  const access = await pageAccess();
  if (!access.authEnabled || access.viewer) redirect("/");
  const error = (await searchParams).error;
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 px-4">
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-semibold tracking-tight">{t.signInTitle}</h1>
        <LanguageSwitch lang={lang} t={t} />
      </div>
      <p className="text-sm text-neutral-600 dark:text-neutral-400">{access.signInRequired ? t.signInPrivate : t.signInHint}</p>
      <SignInForm admin={access.providers.admin} oidc={access.providers.oidc} error={typeof error === "string" ? error : undefined} t={t} />
      {!access.signInRequired && (
        <Link href="/" className="text-sm text-sky-700 hover:underline dark:text-sky-400">
          {t.backToGallery}
        </Link>
      )}
    </main>
  );
}
