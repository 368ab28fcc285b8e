import { otherMethods } from "@/lib/http/methods";
import { handler } from "@/lib/http/respond";
import { readiness } from "@/lib/health";

export const dynamic = "force-dynamic";

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");

export const GET = handler(async (_request: Request) => {
  const report = await readiness();
  return Response.json(report, { status: report.status === "ok" ? 200 : 503 });
});
