"use client";
/**
 * Shows a <dialog> as a modal for as long as the component is mounted: the platform makes the page
 * behind inert (no focus, no clicks, hidden from assistive technology); this adds what it leaves
 * out: Tab and Shift+Tab wrap inside the dialog instead of leaving for the browser's toolbar,
 * Escape goes through the caller (who owns the URL), and focus returns on close to the tile of the
 * photo last shown (or to whatever had it before).
 */
import { useEffect, useRef } from "react";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function useModalDialog(onClose: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    if (!dialog.open) dialog.showModal();
    const onCancel = (event: Event) => {
      event.preventDefault();
      close.current();
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Tab") return;
      const focusable = Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null);
      const first = focusable[0];
      const last = focusable.at(-1);
      if (!first || !last) return;
      const active = document.activeElement;
      if (event.shiftKey && (active === first || !dialog.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
        event.preventDefault();
        first.focus();
      }
    };
    dialog.addEventListener("cancel", onCancel);
    dialog.addEventListener("keydown", onKeyDown);
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      dialog.removeEventListener("keydown", onKeyDown);
      const shownId = dialog.dataset.photoId;
      if (dialog.open) dialog.close();
      const tile = shownId ? document.querySelector<HTMLElement>(`main [data-photo-id="${shownId}"]`) : null;
      (tile ?? (opener?.isConnected ? opener : null))?.focus({ preventScroll: !tile });
    };
  }, []);

  return ref;
}
