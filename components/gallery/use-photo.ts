"use client";
/** A photo's metadata by id: from the results on screen when there, else fetched once and kept. */
import { useEffect, useState } from "react";
import { fetchPhoto, type ApiHit } from "@/lib/search/client";
import type { PhotoView } from "@/lib/search/view";

const known = new Map<string, PhotoView>();

export function rememberPhoto(photo: PhotoView): void {
  known.set(photo.id, photo);
}

export function usePhoto(id: string | undefined, hits: ApiHit[], initial?: PhotoView): PhotoView | undefined {
  if (initial) known.set(initial.id, initial);
  const inHits = id ? hits.find((hit) => hit.id === id)?.photo : undefined;
  const [fetched, setFetched] = useState<PhotoView>();
  const cached = id ? (inHits ?? known.get(id)) : undefined;
  useEffect(() => {
    if (!id || cached) return;
    let live = true;
    fetchPhoto(id).then(
      (photo) => {
        known.set(photo.id, photo);
        if (live) setFetched(photo);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [id, cached]);
  return cached ?? (fetched?.id === id ? fetched : undefined);
}
