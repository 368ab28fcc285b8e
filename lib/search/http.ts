/** HTTP adapters for the search service: JSON, multipart (image queries) and GET query strings. */
import { appContext } from "@/lib/context";
import { badRequest } from "@/lib/errors";
import { formFile, formJson, isMultipart, readForm } from "@/lib/http/multipart";
import { readJson } from "@/lib/http/respond";
import { filtersSchema, parseSearchRequest, type SearchRequest } from "./request";
import { toSearchFilter } from "./service";
import { resultView } from "./view";

export async function searchFromRequest(request: Request) {
  const { search, cfg } = appContext();
  if (isMultipart(request)) {
    const max = cfg.limits.maxUploadBytes;
    const form = await readForm(request, max);
    const image = await formFile(form, "image", max);
    if (!image) throw badRequest("multipart search needs an image file field named image");
    const options = (formJson(form, "options") ?? {}) as Record<string, unknown>;
    return resultView(await search.search(parseSearchRequest(options, true), image.bytes));
  }
  return resultView(await search.search(parseSearchRequest(await readJson(request, cfg.limits.maxJsonBytes))));
}

/**
 * GET /api/search?q=...&k=&offset=&mode=&lang=&textModel=&from=&to=&folder=&near=lat,lon,km
 * &box=top,left,bottom,right&country=IT&like=id
 * &unlike=id&unlike=id&likeWeight=&cutoff=false&order=newest|oldest&dates=false
 */
export async function searchFromQueryString(url: URL) {
  const p = url.searchParams;
  const number = (name: string) => (p.has(name) ? Number(p.get(name)) : undefined);
  const filters = filtersFromQueryString(p);
  const hasFilters = Object.values(filters).some((v) => v !== undefined);
  const body: Record<string, unknown> = {
    q: p.get("q") ?? undefined,
    like: p.get("like") ?? undefined,
    mode: p.get("mode") ?? undefined,
    lang: p.get("lang") ?? undefined,
    textModel: p.get("textModel") ?? undefined,
  };
  if (p.has("unlike")) body.unlike = p.getAll("unlike"); // repeated: ids may hold commas
  if (p.has("likeWeight")) body.likeWeight = number("likeWeight");
  if (p.has("order")) body.order = p.get("order");
  for (const flag of ["cutoff", "dates"]) if (p.has(flag)) body[flag] = booleanParam(flag, p.get(flag)!);
  if (p.has("k")) body.k = number("k");
  if (p.has("offset")) body.offset = number("offset");
  if (hasFilters) body.filters = filters;
  return resultView(await appContext().search.search(parseSearchRequest(JSON.parse(JSON.stringify(body)) as SearchRequest)));
}

/** The filters of a GET query string: from, to, folder, near=lat,lon,km, box=top,left,bottom,right, country. */
function filtersFromQueryString(p: URLSearchParams) {
  const near = p.get("near")?.split(",").map(Number);
  if (near && near.length !== 3) throw badRequest("near must be lat,lon,radiusKm");
  const box = p.get("box")?.split(",").map(Number);
  if (box && box.length !== 4) throw badRequest("box must be top,left,bottom,right");
  return {
    from: p.get("from") ?? undefined,
    to: p.get("to") ?? undefined,
    folder: p.get("folder") ?? undefined,
    near: near ? { lat: near[0], lon: near[1], radiusKm: near[2] } : undefined,
    box: box ? { top: box[0], left: box[1], bottom: box[2], right: box[3] } : undefined,
    country: p.get("country") ?? undefined,
  };
}

const MAX_ZOOM = 20;

/**
 * GET /api/places?zoom=&box=&from=&to=&folder=&country=: the photos those filters let through,
 * clustered by map tile at `zoom` (counts, centre, a photo and its place name per cluster).
 */
export async function clustersFromQueryString(url: URL) {
  const p = url.searchParams;
  const zoom = Number(p.get("zoom") ?? 2);
  if (!Number.isInteger(zoom) || zoom < 0 || zoom > MAX_ZOOM) throw badRequest(`zoom must be a whole number from 0 to ${MAX_ZOOM}`);
  const parsed = filtersSchema.safeParse(JSON.parse(JSON.stringify(filtersFromQueryString(p))));
  if (!parsed.success) throw badRequest(`filters: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const clusters = await appContext().store.clusters({ zoom, filter: toSearchFilter(parsed.data) });
  return { zoom, clusters };
}

function booleanParam(name: string, value: string): boolean {
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw badRequest(`${name} must be true or false`);
}
