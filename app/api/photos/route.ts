import { handler } from "@/lib/http/respond";
import { uploadFromRequest } from "@/lib/ingest/upload";

export const dynamic = "force-dynamic";

export const POST = handler(async (request: Request) => Response.json(await uploadFromRequest(request), { status: 201 }));
