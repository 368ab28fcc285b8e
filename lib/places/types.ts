/** A photo's place in words, read from its GPS position (lib/places) and stored with the photo. */
export interface PlaceName {
  /** The populated place nearest the position (GeoNames, 1,000+ inhabitants), in its English/local name. */
  city?: string;
  /** The first-order administrative division the city lies in (GeoNames admin-1, English): Tuscany. */
  region?: string;
  /** ISO 3166-1 alpha-2 code, e.g. IT. */
  countryCode: string;
  /** The country's English name, e.g. Italy. */
  country: string;
}
