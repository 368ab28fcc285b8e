/**
 * The gallery's state as it lives in the URL (?q=&mode=&like=&unlike=(repeated)&w=&all=1&image=&order=&from=&to=&folder=&near=lat,lon,km
 * &box=top,left,bottom,right (a map area)&country=IT&photo=),
 * so searches are shareable and rendered on the server. Pure: used by the page and the client.
 */
import { isPhotoId } from "@/lib/store/photo-id";
import { RESULT_ORDERS, type ResultOrder } from "./orders";
import type { Filters } from "./request";

/** Results per page in the gallery. */
export const PAGE_SIZE = 30;
/**
 * The first page a phone is served: its first two screens under the header (two or three tiles a
 * 120 px row). The rest follows as the user scrolls; on a slow phone the 18 tiles it would not see
 * cost their images, their share of the HTML and of hydration before the page can answer a tap.
 */
export const PHONE_FIRST_PAGE_SIZE = 12;

export type TextMode = "semantic" | "text" | "hybrid";

export interface ViewState {
  q?: string;
  mode?: TextMode;
  like?: string;
  /** Photos to search away from ("not like this"). */
  unlike?: string[];
  /** Weight of the photo ("like", or the image query) against the text, in "like this, but…". */
  likeWeight?: number;
  /** Show the less relevant hits too (the cut-off off). */
  all?: boolean;
  order?: ResultOrder;
  /** An image query kept in this browser (lib/query-image), named by the hash of its bytes. */
  image?: string;
  /** The photo open in the photo view: its own history entry, so Back closes it and the URL can be shared. */
  photo?: string;
  /** The map view is open. */
  map?: boolean;
  filters: Filters;
}

/** Four decimals of a degree is about 11 m: enough for a place, and short in the URL. */
export function roundCoordinate(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function read(params: Params, name: string): string | undefined {
  const value = params instanceof URLSearchParams ? params.get(name) : params[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single?.trim() ? single.trim() : undefined;
}

/** Every value of a repeated parameter (ids may hold commas, so each id is its own parameter). */
function readAll(params: Params, name: string): string[] {
  const value = params instanceof URLSearchParams ? params.getAll(name) : params[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => v.trim()).filter(Boolean);
}

export function parseNear(value: string | undefined): Filters["near"] {
  const [lat, lon, radiusKm, ...rest] = value?.split(",").map((p) => Number(p.trim())) ?? [];
  if (lat === undefined || lon === undefined || radiusKm === undefined || rest.length > 0) return undefined;
  if (![lat, lon, radiusKm].every(Number.isFinite)) return undefined;
  return { lat, lon, radiusKm };
}

/** A map area as "top,left,bottom,right" (north, west, south, east edges in degrees). */
export function parseBox(value: string | undefined): Filters["box"] {
  const [top, left, bottom, right, ...rest] = value?.split(",").map((p) => Number(p.trim())) ?? [];
  if (top === undefined || left === undefined || bottom === undefined || right === undefined || rest.length > 0) return undefined;
  if (![top, left, bottom, right].every(Number.isFinite) || top < bottom || Math.abs(top) > 90 || Math.abs(bottom) > 90) return undefined;
  if (Math.abs(left) > 180 || Math.abs(right) > 180) return undefined;
  return { top, left, bottom, right };
}

export function viewFromParams(params: Params): ViewState {
  const mode = read(params, "mode");
  const order = read(params, "order");
  const weight = Number(read(params, "w"));
  const unlike = readAll(params, "unlike").filter(isPhotoId);
  return {
    q: read(params, "q"),
    mode: mode === "text" || mode === "hybrid" || mode === "semantic" ? mode : undefined,
    like: read(params, "like"),
    ...(unlike?.length ? { unlike } : {}),
    ...(weight > 0 && weight <= 10 ? { likeWeight: weight } : {}),
    ...(read(params, "all") === "1" ? { all: true } : {}),
    ...(read(params, "map") === "1" ? { map: true } : {}),
    ...(RESULT_ORDERS.includes(order as ResultOrder) && order !== "relevance" ? { order: order as ResultOrder } : {}),
    image: read(params, "image")?.match(/^[0-9a-f]{16,64}$/)?.[0],
    photo: [read(params, "photo")].find((id) => id !== undefined && isPhotoId(id)),
    filters: JSON.parse(
      JSON.stringify({
        from: read(params, "from"),
        to: read(params, "to"),
        folder: read(params, "folder"),
        near: parseNear(read(params, "near")),
        box: parseBox(read(params, "box")),
        country: /^[A-Za-z]{2}$/.test(read(params, "country") ?? "") ? read(params, "country")!.toUpperCase() : undefined,
      }),
    ) as Filters,
  };
}

export function viewToSearch(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.q) params.set("q", view.q);
  if (view.mode && view.mode !== "semantic") params.set("mode", view.mode);
  if (view.like) params.set("like", view.like);
  for (const id of view.unlike ?? []) params.append("unlike", id);
  if (view.likeWeight !== undefined && (view.like || view.image)) params.set("w", String(view.likeWeight));
  if (view.all) params.set("all", "1");
  if (view.order && view.order !== "relevance") params.set("order", view.order);
  if (view.image) params.set("image", view.image);
  if (view.map) params.set("map", "1");
  const { from, to, folder, near, box, country } = view.filters;
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  if (folder) params.set("folder", folder);
  if (near) params.set("near", `${roundCoordinate(near.lat)},${roundCoordinate(near.lon)},${Math.round(near.radiusKm * 100) / 100}`);
  if (box) params.set("box", [box.top, box.left, box.bottom, box.right].map(roundCoordinate).join(","));
  if (country) params.set("country", country);
  if (view.photo) params.set("photo", view.photo);
  const search = params.toString();
  return search ? `?${search}` : "";
}

/** No query of any kind: the library itself, in date order. */
export function isBrowsing(view: ViewState): boolean {
  return !view.q && !view.like && !view.image;
}

/** Whether results show as a timeline (month headings): browsing the library, or a search ordered by date (the server sorts). */
export function showsTimeline(view: ViewState): boolean {
  return isBrowsing(view) || view.order === "newest" || view.order === "oldest";
}

/** Results per request. */
export function pageSizeFor(_view: ViewState): number {
  return PAGE_SIZE;
}

/** Results the server renders with the page: fewer on a phone (see PHONE_FIRST_PAGE_SIZE). */
export function firstPageSizeFor(view: ViewState, phone: boolean): number {
  return phone ? Math.min(PHONE_FIRST_PAGE_SIZE, pageSizeFor(view)) : pageSizeFor(view);
}

/** What identifies a search's results: everything that changes them (not the open photo). */
export function resultsKey(view: ViewState, vectorQuery: boolean): string {
  return JSON.stringify({ body: requestBody(view), image: view.image, vectorQuery });
}

/**
 * The search API body for a view (without paging; an image query's file goes beside it). Text and a
 * photo ("like", or the image query) together are one composed query ("like this, but…"), searched
 * by meaning.
 */
export function requestBody(view: ViewState): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (view.q) body.q = view.q;
  if (view.like && !view.image) body.like = view.like; // one photo: a URL naming both searches with the image
  if (view.like || view.image) {
    if (view.likeWeight !== undefined) body.likeWeight = view.likeWeight;
  } else if (view.q && view.mode) body.mode = view.mode;
  if (view.unlike?.length && (view.q || view.like || view.image)) body.unlike = view.unlike;
  if (view.all) body.cutoff = false;
  if (view.order) body.order = view.order;
  if (Object.keys(view.filters).length) body.filters = view.filters;
  return body;
}
