/**
 * File names and folders as words, for full-text search in either store: "IMG_2041.snow-trip.jpg"
 * becomes "IMG 2041 snow trip jpg". Elasticsearch's standard tokenizer would keep
 * "helsinki.jpg" as one token, so both stores index this form instead.
 */
export function pathWords(value: string): string {
  return value.replace(/[/\\._\-+]+/g, " ").trim();
}
