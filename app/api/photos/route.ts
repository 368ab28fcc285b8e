import { rateLimit, requireWriter } from "@/lib/auth";
import { otherMethods } from "@/lib/http/methods";
import { handler } from "@/lib/http/respond";
import { uploadFromRequest } from "@/lib/ingest/upload";

export const dynamic = "force-dynamic";

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");

export const POST = handler(async (request: Request) => {
  rateLimit("upload", request, await requireWriter(request));
  return Response.json(await uploadFromRequest(request), { status: 201 });
});
