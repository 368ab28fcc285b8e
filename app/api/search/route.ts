import { rateLimit, requireReader } from "@/lib/auth";
import { otherMethods } from "@/lib/http/methods";
import { handler } from "@/lib/http/respond";
import { searchFromQueryString, searchFromRequest } from "@/lib/search/http";

export const dynamic = "force-dynamic";

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");

export const POST = handler(async (request: Request) => {
  rateLimit("search", request, await requireReader(request));
  return Response.json(await searchFromRequest(request));
});

export const GET = handler(async (request: Request) => {
  rateLimit("search", request, await requireReader(request));
  return Response.json(await searchFromQueryString(new URL(request.url)));
});
