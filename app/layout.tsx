import type { Metadata, Viewport } from "next";
import { cookies, headers } from "next/headers";
import { pickLanguage } from "@/lib/i18n/messages";
import "./globals.css";

export const metadata: Metadata = {
  title: "Photo search · 以文搜图",
  description: "Search your photos by what is in them",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0a0a0a" },
  ],
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const lang = pickLanguage((await cookies()).get("lang")?.value, (await headers()).get("accept-language"));
  return (
    <html lang={lang === "zh" ? "zh-CN" : "en"}>
      <body className="min-h-screen bg-white text-neutral-900 antialiased dark:bg-neutral-950 dark:text-neutral-100">{children}</body>
    </html>
  );
}
