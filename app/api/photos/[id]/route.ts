import { handler } from "@/lib/http/respond";
import { photoMetadata } from "@/lib/search/photos";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = handler(async (_request: Request, { params }: Context) => Response.json(await photoMetadata((await params).id)));
