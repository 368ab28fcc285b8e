/** What the gallery knows of the whole library: the filter controls' facets and how many photos it holds. */
import type { Facets, PhotoStore } from "@/lib/store/types";

export interface LibraryFacets extends Facets {
  /**
   * Photos in the library, whatever a search shows: an empty library says how to add photos, even
   * when the URL holds a query or filters, instead of "no photos match".
   */
  photos: number;
}

export async function libraryFacets(store: PhotoStore): Promise<LibraryFacets> {
  const [facets, photos] = await Promise.all([store.facets(), store.count()]);
  return { ...facets, photos };
}
