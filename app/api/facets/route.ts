import { appContext } from "@/lib/context";
import { handler } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = handler(async (_request: Request) => Response.json(await appContext().store.facets()));
