import { requireReader } from "@/lib/auth";
import { otherMethods } from "@/lib/http/methods";
import { handler } from "@/lib/http/respond";
import { photoThumbnail } from "@/lib/search/photos";

export const dynamic = "force-dynamic";

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");

type Context = { params: Promise<{ id: string }> };

export const GET = handler(async (request: Request, { params }: Context) => {
  await requireReader(request);
  // ?size=320: the smaller rendition the gallery's tiles ask for on small screens.
  return photoThumbnail((await params).id, new URL(request.url).searchParams.get("size"));
});
