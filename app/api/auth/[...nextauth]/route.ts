import { authRoute } from "@/lib/auth";
import { otherMethods } from "@/lib/http/methods";
import { handler } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");

export const GET = handler((request: Request) => authRoute(request));
export const POST = handler((request: Request) => authRoute(request));
