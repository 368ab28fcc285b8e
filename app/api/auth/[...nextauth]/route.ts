import { authRoute } from "@/lib/auth";
import { handler } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = handler((request: Request) => authRoute(request));
export const POST = handler((request: Request) => authRoute(request));
