/**
 * The gallery's state as it lives in the URL (?q=&mode=&like=&unlike=(repeated)&w=&all=1&order=&from=&to=&folder=&near=lat,lon,km),
 * so searches are shareable and rendered on the server. Pure: used by the page and the client.
 */
import { isPhotoId } from "@/lib/store/photo-id";
import { RESULT_ORDERS, type Filters, type ResultOrder } from "./request";

/** Results per page in the gallery. */
export const PAGE_SIZE = 30;

export type TextMode = "semantic" | "text" | "hybrid";

export interface ViewState {
  q?: string;
  mode?: TextMode;
  like?: string;
  /** Photos to search away from ("not like this"). */
  unlike?: string[];
  /** Weight of the "like" photo against the text, in "like this, but…". */
  likeWeight?: number;
  /** Show the less relevant hits too (the cut-off off). */
  all?: boolean;
  order?: ResultOrder;
  filters: Filters;
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
    ...(RESULT_ORDERS.includes(order as ResultOrder) && order !== "relevance" ? { order: order as ResultOrder } : {}),
    filters: JSON.parse(
      JSON.stringify({
        from: read(params, "from"),
        to: read(params, "to"),
        folder: read(params, "folder"),
        near: parseNear(read(params, "near")),
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
  if (view.likeWeight !== undefined && view.like) params.set("w", String(view.likeWeight));
  if (view.all) params.set("all", "1");
  if (view.order && view.order !== "relevance") params.set("order", view.order);
  const { from, to, folder, near } = view.filters;
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  if (folder) params.set("folder", folder);
  if (near) params.set("near", `${near.lat},${near.lon},${near.radiusKm}`);
  const search = params.toString();
  return search ? `?${search}` : "";
}

/**
 * The search API body for a view (without paging). Text and "like" together are one composed query
 * ("like this, but…"), searched by meaning.
 */
export function requestBody(view: ViewState): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (view.q) body.q = view.q;
  if (view.like) {
    body.like = view.like;
    if (view.likeWeight !== undefined) body.likeWeight = view.likeWeight;
  } else if (view.q && view.mode) body.mode = view.mode;
  if (view.unlike?.length && (view.q || view.like)) body.unlike = view.unlike;
  if (view.all) body.cutoff = false;
  if (view.order) body.order = view.order;
  if (Object.keys(view.filters).length) body.filters = view.filters;
  return body;
}
