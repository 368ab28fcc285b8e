import { PhotoGrid } from "@/components/PhotoGrid";
import { errorResponse } from "@/lib/http/respond";
import { searchFromQueryString } from "@/lib/search/http";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function Home({ searchParams }: Props) {
  const params = await searchParams;
  const q = typeof params.q === "string" ? params.q : "";
  const like = typeof params.like === "string" ? params.like : "";
  const url = new URL("http://local/api/search");
  if (q) url.searchParams.set("q", q);
  if (like) url.searchParams.set("like", like);
  let hits: Awaited<ReturnType<typeof searchFromQueryString>>["hits"] = [];
  let problem: string | undefined;
  if (q || like) {
    try {
      hits = (await searchFromQueryString(url)).hits;
    } catch (error) {
      problem = ((await errorResponse(error).json()) as { error: { message: string } }).error.message;
    }
  }
  return (
    <main className="mx-auto max-w-6xl p-4">
      <form className="mb-4 flex gap-2" action="/">
        <label htmlFor="q" className="sr-only">
          Search photos
        </label>
        <input
          id="q"
          name="q"
          defaultValue={q}
          placeholder="a mountain covered in snow · 雪山"
          className="flex-1 rounded border border-neutral-300 px-3 py-2 dark:border-neutral-700 dark:bg-neutral-900"
        />
        <button className="rounded bg-neutral-900 px-4 py-2 text-white dark:bg-neutral-100 dark:text-neutral-900">Search</button>
      </form>
      {problem && <p role="alert" className="text-red-600">{problem}</p>}
      {!problem && (q || like) && hits.length === 0 && <p>No photos found. Is the library empty? Run <code>npm run ingest -- &lt;folder&gt;</code>.</p>}
      <PhotoGrid hits={hits} />
    </main>
  );
}
