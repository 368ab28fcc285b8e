import { otherMethods } from "@/lib/http/methods";
import { handler } from "@/lib/http/respond";
import { readiness } from "@/lib/health";

export const dynamic = "force-dynamic";

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");

export const GET = handler(async (_request: Request) => {
  const report = await readiness();
  // Degraded (a cluster recovering from a lost node) still serves: 200, so load balancers keep it.
  return Response.json(report, { status: report.status === "unavailable" ? 503 : 200 });
});
