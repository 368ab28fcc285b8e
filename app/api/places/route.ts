import { requireReader } from "@/lib/auth";
import { handler } from "@/lib/http/respond";
import { clustersFromQueryString } from "@/lib/search/http";

export const dynamic = "force-dynamic";

export const GET = handler(async (request: Request) => {
  await requireReader(request);
  return Response.json(await clustersFromQueryString(new URL(request.url)));
});
