import { requireReader } from "@/lib/auth";
import { otherMethods } from "@/lib/http/methods";
import { handler } from "@/lib/http/respond";
import { clustersFromQueryString } from "@/lib/search/http";

export const dynamic = "force-dynamic";

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");

export const GET = handler(async (request: Request) => {
  await requireReader(request);
  return Response.json(await clustersFromQueryString(new URL(request.url)));
});
