import { handler } from "@/lib/http/respond";
import { health } from "@/lib/health";

export const dynamic = "force-dynamic";

export const GET = handler(async () => {
  const report = await health();
  return Response.json(report, { status: report.status === "ok" ? 200 : 503 });
});
