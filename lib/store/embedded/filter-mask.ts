/** Evaluates a normalized filter over the in-memory columns: one tight loop, no SQL round trip. */
import { inBox, inFolder, isEmptyFilter, withinRadius, type NormalizedFilter } from "@/lib/store/filter";
import type { VectorMatrix } from "./vector-matrix";

/** Returns a predicate over row numbers, or undefined when every row passes. */
export function rowPredicate(matrix: VectorMatrix, f: NormalizedFilter): ((row: number) => boolean) | undefined {
  if (isEmptyFilter(f)) return undefined;
  const { takenAt, lat, lon, folderOf, folders, countryOf, countries } = matrix.columns();
  const country = f.country === undefined ? undefined : countries.indexOf(f.country);
  const allowedFolders = f.folder ? new Set(folders.flatMap((name, id) => (inFolder(name, f.folder!) ? [id] : []))) : undefined;
  const excluded = new Set(f.excludeIds.map((id) => matrix.rowIndex(id)).filter((row) => row !== undefined));
  const { fromMs, toMs, near, box } = f;
  return (row) => {
    if (excluded.has(row)) return false;
    if (allowedFolders && !allowedFolders.has(folderOf[row]!)) return false;
    if (country !== undefined && countryOf[row] !== country) return false;
    // NaN (unknown date or place) fails every comparison, so such photos drop out of date/geo filters.
    if (fromMs !== undefined && !(takenAt[row]! >= fromMs)) return false;
    if (toMs !== undefined && !(takenAt[row]! <= toMs)) return false;
    if (near && !withinRadius(near.lat, near.lon, near.radiusKm, lat[row]!, lon[row]!)) return false;
    if (box && !inBox(lat[row]!, lon[row]!, box)) return false;
    return true;
  };
}

/** The rows a predicate lets through, ascending: what a filtered kNN search may return. */
export function allowedRows(matrix: VectorMatrix, predicate: (row: number) => boolean): Int32Array {
  const rows = new Int32Array(matrix.size);
  let n = 0;
  for (let row = 0; row < matrix.size; row++) if (predicate(row)) rows[n++] = row;
  return rows.subarray(0, n);
}
