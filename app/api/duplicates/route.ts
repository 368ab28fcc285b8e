import { rateLimit, requireReader } from "@/lib/auth";
import { parseDuplicateOptions } from "@/lib/duplicates/options";
import { reviewDuplicatesWithin } from "@/lib/duplicates/review";
import { otherMethods } from "@/lib/http/methods";
import { handler } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");

/** How long a request waits for a neighbour graph being built before it answers with the build's progress. */
const WAIT_MS = 2_000;

/**
 * GET /api/duplicates?near=0.95&hash=10&burst=0.85&seconds=30&neighbours=8: groups by class, for a
 * threshold preview. While the library's neighbour graph is being built (minutes at 100k photos),
 * 202 with `{ building: { phase, done, total } }`: ask again for the review or the newer progress.
 */
export const GET = handler(async (request: Request) => {
  rateLimit("search", request, await requireReader(request));
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const review = await reviewDuplicatesWithin(parseDuplicateOptions(params), WAIT_MS);
  return Response.json(review, { status: "building" in review ? 202 : 200 });
});
