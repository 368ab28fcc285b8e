import { otherMethods } from "@/lib/http/methods";
import { handler } from "@/lib/http/respond";
import { liveness } from "@/lib/health";

export const dynamic = "force-dynamic";

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");

/** Liveness: the process answers. For readiness (store, index, models) see /api/ready. */
export const GET = handler(async (_request: Request) => Response.json(liveness()));
