/**
 * The gallery's state as it lives in the URL (?q=&mode=&like=&from=&to=&folder=&near=lat,lon,km),
 * so searches are shareable and rendered on the server. Pure: used by the page and the client.
 */
import type { Filters } from "./request";

/** Results per page in the gallery. */
export const PAGE_SIZE = 30;

export type TextMode = "semantic" | "text" | "hybrid";

export interface ViewState {
  q?: string;
  mode?: TextMode;
  like?: string;
  filters: Filters;
}

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function read(params: Params, name: string): string | undefined {
  const value = params instanceof URLSearchParams ? params.get(name) : params[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single?.trim() ? single.trim() : undefined;
}

export function parseNear(value: string | undefined): Filters["near"] {
  const [lat, lon, radiusKm, ...rest] = value?.split(",").map((p) => Number(p.trim())) ?? [];
  if (lat === undefined || lon === undefined || radiusKm === undefined || rest.length > 0) return undefined;
  if (![lat, lon, radiusKm].every(Number.isFinite)) return undefined;
  return { lat, lon, radiusKm };
}

export function viewFromParams(params: Params): ViewState {
  const mode = read(params, "mode");
  return {
    q: read(params, "q"),
    mode: mode === "text" || mode === "hybrid" || mode === "semantic" ? mode : undefined,
    like: read(params, "like"),
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
  const { from, to, folder, near } = view.filters;
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  if (folder) params.set("folder", folder);
  if (near) params.set("near", `${near.lat},${near.lon},${near.radiusKm}`);
  const search = params.toString();
  return search ? `?${search}` : "";
}

/** The search API body for a view (without paging). Text wins over "like" when both are set. */
export function requestBody(view: ViewState): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (view.q) {
    body.q = view.q;
    if (view.mode) body.mode = view.mode;
  } else if (view.like) body.like = view.like;
  if (Object.keys(view.filters).length) body.filters = view.filters;
  return body;
}
