/**
 * The client's address, for rate limits. Next's route handlers never see the socket, and Next fills
 * X-Forwarded-For with the peer's address only when the client did not send the header itself, so a
 * client could choose its own address. The server therefore stamps the socket's address into a
 * header of its own on every request (lib/http/server-guard; replacing anything a client sent), and
 * X-Forwarded-For is believed only as deep as TRUST_PROXY says proxies sit in front of the app.
 */
export const PEER_HEADER = "x-photo-search-peer";

/**
 * The address `trustProxy` hops away: 0 is the socket's peer; 1 is the address the nearest proxy
 * appended to X-Forwarded-For (what an SLB/CLB reports), and so on. Entries further left were written
 * by the client and are never believed.
 */
export function clientAddress(request: { headers: Headers }, trustProxy: number): string {
  const peer = request.headers.get(PEER_HEADER) ?? "unknown";
  if (trustProxy === 0) return peer;
  const forwarded = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer];
  return chain[chain.length - 1 - trustProxy] ?? chain[0] ?? peer;
}
