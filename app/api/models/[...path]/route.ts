import { modelFile } from "@/lib/files/model-files";
import { handler } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ path: string[] }> };

export const GET = handler(async (_request: Request, { params }: Context) => modelFile((await params).path));
