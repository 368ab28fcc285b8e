import { requireReader } from "@/lib/auth";
import { appContext } from "@/lib/context";
import { handler } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = handler(async (request: Request) => {
  await requireReader(request);
  return Response.json(await appContext().store.facets());
});
