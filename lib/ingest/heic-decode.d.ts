// heic-decode ships no types; the shape used by lib/ingest/heic.ts.
declare module "heic-decode" {
  const decode: { all: unknown };
  export default decode;
}
