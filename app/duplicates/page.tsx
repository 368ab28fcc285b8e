import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { DuplicatesReview } from "@/components/duplicates/DuplicatesReview";
import { pageAccess } from "@/lib/auth";
import { duplicatesMessages } from "@/lib/i18n/duplicates";
import { LANGUAGES, pickLanguage } from "@/lib/i18n/messages";

export const dynamic = "force-dynamic";

/** The duplicates review (lib/duplicates through /api/duplicates); removal only for those who may write. */
export default async function DuplicatesPage() {
  const lang = pickLanguage((await cookies()).get("lang")?.value, (await headers()).get("accept-language"));
  const access = await pageAccess();
  if (access.signInRequired) redirect("/signin");
  return <DuplicatesReview d={duplicatesMessages(lang)} t={LANGUAGES[lang]} lang={lang} canWrite={access.canWrite} />;
}
