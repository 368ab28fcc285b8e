/** Browser-side calls to the API. Errors arrive as the API's { error: { code, message } }. */
import type { UnderstoodQuery } from "@/lib/query/types";
import type { LibraryFacets } from "./facets";
import type { PhotoView } from "./view";

export interface ApiHit {
  id: string;
  score: number;
  photo: PhotoView;
}

export interface ApiPage {
  mode: string;
  tookMs: number;
  hasMore: boolean;
  hits: ApiHit[];
  /** What the server understood from the query (shown as chips). */
  query?: UnderstoodQuery;
  /** Meaning-based searches: hits judged relevant, and less relevant ones left out by the cut-off. */
  relevant?: number;
  lessRelevant?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The body of an API answer, or its `{ error: { code, message } }` as an ApiError. */
export async function parseApiResponse<T>(response: Response): Promise<T> {
  const body = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (body as { error?: { code: string; message: string } } | undefined)?.error;
    throw new ApiError(error?.code ?? "http", error?.message ?? `HTTP ${response.status}`, response.status);
  }
  return body as T;
}

/** fetch, with "the server cannot be reached" as an ApiError the UI can translate (an abort stays an abort). */
async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiError("network", (error as Error).message, 0);
  }
}

export async function searchPage(body: Record<string, unknown>, image?: Blob, signal?: AbortSignal): Promise<ApiPage> {
  if (image) {
    const form = new FormData();
    form.append("image", image, "query");
    form.append("options", JSON.stringify(body));
    return parseApiResponse(await send("/api/search", { method: "POST", body: form, signal }));
  }
  return parseApiResponse(
    await send("/api/search", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal }),
  );
}

export async function fetchPhoto(id: string): Promise<PhotoView> {
  return parseApiResponse(await send(`/api/photos/${id}`, {}));
}

export async function fetchFacets(): Promise<LibraryFacets> {
  return parseApiResponse(await send("/api/facets", {}));
}

/** Uploads with XMLHttpRequest, because fetch cannot report upload progress. */
export function uploadPhoto(file: File, onProgress: (fraction: number) => void): Promise<{ outcome: string; photo: PhotoView }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/photos");
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onerror = () => reject(new ApiError("network", "the upload could not reach the server", 0));
    xhr.onload = () => {
      let body: { error?: { code: string; message: string } } | undefined;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as unknown as { outcome: string; photo: PhotoView });
      else reject(new ApiError(body?.error?.code ?? "http", body?.error?.message ?? `HTTP ${xhr.status}`, xhr.status));
    };
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

export async function deletePhoto(id: string): Promise<{ removed: string[] }> {
  return parseApiResponse(await fetch(`/api/photos/${encodeURIComponent(id)}`, { method: "DELETE" }));
}
