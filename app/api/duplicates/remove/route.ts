import { rateLimit, requireWriter } from "@/lib/auth";
import { config } from "@/lib/config";
import { removeFromLibrary } from "@/lib/duplicates/review";
import { otherMethods } from "@/lib/http/methods";
import { handler, readJson } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");

/** POST /api/duplicates/remove { ids }: out of the library (index only; files untouched), protected like uploads. */
export const POST = handler(async (request: Request) => {
  rateLimit("upload", request, await requireWriter(request));
  return Response.json(await removeFromLibrary(await readJson(request, config().limits.maxJsonBytes)));
});
