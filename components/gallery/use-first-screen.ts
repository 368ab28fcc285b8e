"use client";
import { startTransition, useCallback, useState } from "react";
import { useOnFirstInteraction } from "./use-on-first-interaction";

/**
 * How many of the first page's tiles to show: `firstScreen` (the server's choice for a phone, which
 * renders only them) until the first sign of a user, then all of them. The rest of the page is
 * already here (no request); they are rendered in a transition, which yields to the browser, and
 * their images load then, instead of sharing a phone's bandwidth and main thread with the photos
 * in view during the load. Undefined: every tile from the start (desktops, and browsers that do not
 * say they are phones).
 */
export function useFirstScreen(firstScreen: number | undefined): number | undefined {
  const [limit, setLimit] = useState(firstScreen);
  useOnFirstInteraction(useCallback(() => startTransition(() => setLimit(undefined)), []));
  return limit;
}
