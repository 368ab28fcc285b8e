"use client";
/**
 * The gallery's view, read from the address bar itself, and the one way to change it.
 *
 * Why not Next's useSearchParams alone: the gallery writes the URL with history.pushState (a search
 * must not cost a server render), and Next follows such writes only once its router's effect has
 * patched pushState and installed its popstate listener. A click or a Back in the moment between
 * hydration and that effect (easy after a reload, when Back crosses into entries of the previous
 * document) changed the address while the page kept showing the old search. Reading
 * `window.location.search`, refreshed on popstate and on our own writes, cannot drift from what the
 * user sees in the address bar; Next still hears every write, so its router stays in step.
 */
import { useMemo, useSyncExternalStore } from "react";
import { useSearchParams } from "next/navigation";
import { viewFromParams, type ViewState } from "@/lib/search/url-state";

const WRITTEN = "photo-search:url-written";

function subscribe(onChange: () => void) {
  window.addEventListener("popstate", onChange);
  window.addEventListener(WRITTEN, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(WRITTEN, onChange);
  };
}

const currentSearch = () => window.location.search;

/**
 * Writes the URL: a new history entry, or a replacement of the current one. Only our own flag goes in
 * the state: Next's internal keys there would make its patched pushState pass the write by unheard.
 */
export function writeUrl(url: string, how: { replace?: boolean; photoView?: boolean } = {}) {
  if (how.replace) window.history.replaceState({ photoView: Boolean(window.history.state?.photoView) }, "", url);
  else window.history.pushState({ photoView: how.photoView ?? false }, "", url);
  window.dispatchEvent(new Event(WRITTEN));
}

/** The view in the address bar; on the server and during hydration, the search the page was rendered for. */
export function useUrlView(): ViewState {
  const rendered = useSearchParams().toString();
  const search = useSyncExternalStore(subscribe, currentSearch, () => rendered);
  return useMemo(() => viewFromParams(new URLSearchParams(search)), [search]);
}
