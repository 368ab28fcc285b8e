import { rateLimit, requireReader, requireWriter } from "@/lib/auth";
import { otherMethods } from "@/lib/http/methods";
import { handler } from "@/lib/http/respond";
import { deletePhoto, photoMetadata } from "@/lib/search/photos";

export const dynamic = "force-dynamic";

export const { POST, PUT, PATCH, OPTIONS } = otherMethods("GET", "DELETE");

type Context = { params: Promise<{ id: string }> };

export const GET = handler(async (request: Request, { params }: Context) => {
  await requireReader(request);
  return Response.json(await photoMetadata((await params).id));
});

export const DELETE = handler(async (request: Request, { params }: Context) => {
  rateLimit("upload", request, await requireWriter(request));
  return Response.json(await deletePhoto((await params).id));
});
