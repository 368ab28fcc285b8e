import { rateLimit, requireReader } from "@/lib/auth";
import { parseDuplicateOptions } from "@/lib/duplicates/options";
import { reviewDuplicates } from "@/lib/duplicates/review";
import { otherMethods } from "@/lib/http/methods";
import { handler } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");

/** GET /api/duplicates?near=0.95&hash=10&burst=0.85&seconds=30&neighbours=8: groups by class, for a threshold preview. */
export const GET = handler(async (request: Request) => {
  rateLimit("search", request, await requireReader(request));
  const params = Object.fromEntries(new URL(request.url).searchParams);
  return Response.json(await reviewDuplicates(parseDuplicateOptions(params)));
});
