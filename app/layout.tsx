import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Photo search · 以文搜图",
  description: "Search your photos by what is in them",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-white text-neutral-900 antialiased dark:bg-neutral-950 dark:text-neutral-100">{children}</body>
    </html>
  );
}
