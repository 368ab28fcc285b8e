/**
 * npm run search -- "a mountain covered in snow" [--k 10] [--mode semantic|text|hybrid]
 * npm run search -- --like photo.jpg        (search by an image file)
 * npm run search -- --similar <photo id>    (more like a stored photo)
 * npm run search -- "beach -people" | "2:sunset + night - people" | "snow 2019" | "去年夏天 海边"
 * npm run search -- "at night" --similar <photo id> [--like-weight 2]   (like this, but…)
 * --unlike <id,id> (not like these photos), --all (no relevance cut-off), --order newest|oldest,
 * --no-dates (dates in the text stay words)
 * Text tower: --lang zh (the query's language) or --text-model clip|multilingual (force one)
 * Filters: --from 2020-01-01 --to 2020-12-31 --near 43.46,11.88,5 --folder images/val2017
 * Prints the results as JSON.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { appContext, closeAppContext } from "@/lib/context";
import { badRequest } from "@/lib/errors";
import { parseSearchRequest } from "@/lib/search/request";
import { resultView } from "@/lib/search/view";
import { runCli } from "./cli-context";
import { withDownloadBars } from "./model-progress";

runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      k: { type: "string" },
      offset: { type: "string" },
      mode: { type: "string" },
      lang: { type: "string" },
      "text-model": { type: "string" },
      like: { type: "string" },
      similar: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      near: { type: "string" },
      folder: { type: "string" },
      unlike: { type: "string" },
      "like-weight": { type: "string" },
      all: { type: "boolean" },
      order: { type: "string" },
      "no-dates": { type: "boolean" },
    },
  });
  const near = values.near?.split(",").map(Number);
  if (near && near.length !== 3) throw badRequest("--near takes lat,lon,radiusKm");
  const filters = JSON.parse(
    JSON.stringify({
      from: values.from,
      to: values.to,
      folder: values.folder,
      near: near && { lat: near[0], lon: near[1], radiusKm: near[2] },
    }),
  );
  const request = parseSearchRequest(
    JSON.parse(
      JSON.stringify({
        q: positionals.length ? positionals.join(" ") : undefined,
        like: values.similar,
        mode: values.mode,
        unlike: values.unlike?.split(",").filter(Boolean),
        likeWeight: values["like-weight"] ? Number(values["like-weight"]) : undefined,
        cutoff: values.all ? false : undefined,
        order: values.order,
        dates: values["no-dates"] ? false : undefined,
        lang: values.lang,
        textModel: values["text-model"],
        k: values.k ? Number(values.k) : undefined,
        offset: values.offset ? Number(values.offset) : undefined,
        filters: Object.keys(filters).length ? filters : undefined,
      }),
    ),
    Boolean(values.like),
  );
  try {
    const image = values.like ? readImageFile(values.like) : undefined;
    // A first search may download the text model: its progress shows on stderr, the results stay on stdout.
    const result = await withDownloadBars(() => appContext().search.search(request, image));
    console.log(JSON.stringify(resultView(result), null, 2));
  } finally {
    await closeAppContext();
  }
});

function readImageFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : code === "EACCES" ? "permission denied" : String(code);
    throw badRequest(`cannot read --like ${file}: ${why}`);
  }
}
