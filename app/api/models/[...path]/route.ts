import { modelFile } from "@/lib/files/model-files";
import { otherMethods } from "@/lib/http/methods";
import { handler } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");

type Context = { params: Promise<{ path: string[] }> };

export const GET = handler(async (request: Request, { params }: Context) => modelFile((await params).path, request));
