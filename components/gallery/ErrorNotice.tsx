"use client";
import { errorAdvice } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";

/**
 * An error in the UI's language, from its code, with what to do and a way to try again. The
 * server's own message (English, for operators) is kept under "Details".
 */
export function ErrorNotice({ code, detail, onRetry, t }: { code: string; detail?: string; onRetry?: () => void; t: Messages }) {
  const { message, action } = errorAdvice(t, code);
  return (
    <div
      role="alert"
      data-testid="error"
      data-code={code}
      className="mb-4 rounded-lg border border-red-300 bg-red-50 p-4 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
    >
      <p className="font-medium">{message}</p>
      {action && <p className="text-sm">{action}</p>}
      {detail && (
        <details className="mt-1 text-xs">
          <summary className="cursor-pointer">{t.errorDetails}</summary>
          <p lang="en" className="mt-1 font-mono break-all">
            {code}: {detail}
          </p>
        </details>
      )}
      {onRetry && (
        <button
          type="button"
          onClick={onRetry}
          className="mt-2 min-h-11 rounded-md bg-red-700 px-4 py-1 text-sm text-white hover:bg-red-600"
        >
          {t.retry}
        </button>
      )}
    </div>
  );
}
