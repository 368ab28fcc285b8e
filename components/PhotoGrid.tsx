import type { PhotoView } from "@/lib/search/view";

export interface GridHit {
  id: string;
  score: number;
  photo: PhotoView;
}

/** Thumbnails at their own aspect ratio, each with a "more like this" link. */
export function PhotoGrid({ hits }: { hits: GridHit[] }) {
  return (
    <ul className="flex flex-wrap gap-2">
      {hits.map(({ id, score, photo }) => (
        <li key={id} className="group relative h-48 grow" style={{ flexBasis: `${(192 * photo.width) / Math.max(photo.height, 1)}px` }}>
          <a href={photo.originalUrl} className="block h-full">
            {/* eslint-disable-next-line @next/next/no-img-element -- thumbnails are already sized by ingest */}
            <img
              src={photo.thumbnailUrl}
              alt={photo.caption?.split("\n")[0] ?? photo.name}
              width={photo.width}
              height={photo.height}
              loading="lazy"
              className="h-full w-full rounded object-cover"
            />
          </a>
          <span className="absolute bottom-1 left-1 hidden rounded bg-black/60 px-1.5 text-xs text-white group-hover:block">
            {score.toFixed(3)} · <a href={`/?like=${id}`}>more like this</a>
          </span>
        </li>
      ))}
    </ul>
  );
}
