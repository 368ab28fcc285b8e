import { requireReader } from "@/lib/auth";
import { appContext } from "@/lib/context";
import { otherMethods } from "@/lib/http/methods";
import { handler } from "@/lib/http/respond";
import { libraryFacets } from "@/lib/search/facets";

export const dynamic = "force-dynamic";

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");

export const GET = handler(async (request: Request) => {
  await requireReader(request);
  return Response.json(await libraryFacets(appContext().store));
});
