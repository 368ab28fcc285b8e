/**
 * Methods a route does not implement answer in the app's one error shape with an Allow header.
 * Without this, Next answers them itself with an empty 405 before any route code runs. Each route
 * exports the refusals for the methods it lacks:
 *   export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
 * OPTIONS is answered here too: Next's own would list the refusals as allowed. (HEAD Next derives
 * from GET; TRACE and other methods the Fetch API cannot carry are refused earlier, in
 * server-guard.ts.)
 */
import { handler } from "./respond";

export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/** Marks the refusals, so a test can tell them from the route's real handlers. */
export const REFUSES_METHOD = Symbol.for("photo-search.refuses-method");

type Refusal = ((request: Request) => Promise<Response>) & { [REFUSES_METHOD]: true };

/** The value of the Allow header for a route implementing `allowed`. */
export function allowHeader(allowed: readonly RouteMethod[]): string {
  const methods = ROUTE_METHODS.filter((method) => allowed.includes(method)).flatMap((method) =>
    method === "GET" ? ["GET", "HEAD"] : [method],
  );
  return [...methods, "OPTIONS"].join(", ");
}

/** Refusals for every route method except `allowed`, to export from a route module. */
export function otherMethods<A extends RouteMethod>(
  ...allowed: A[]
): Record<Exclude<RouteMethod, A>, Refusal> & { OPTIONS: () => Promise<Response> } {
  const allow = allowHeader(allowed);
  const refusals: Partial<Record<RouteMethod, Refusal>> = {};
  for (const method of ROUTE_METHODS) {
    if ((allowed as RouteMethod[]).includes(method)) continue;
    const refuse = handler(async (request: Request) =>
      Response.json(
        { error: { code: "method_not_allowed", message: `${request.method} is not supported here; use ${allow}` } },
        { status: 405, headers: { allow } },
      ),
    );
    refusals[method] = Object.assign(refuse, { [REFUSES_METHOD]: true as const });
  }
  const OPTIONS = async () => new Response(null, { status: 204, headers: { allow } });
  return { ...(refusals as Record<Exclude<RouteMethod, A>, Refusal>), OPTIONS };
}
