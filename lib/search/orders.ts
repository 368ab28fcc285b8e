/**
 * The result orders, in a module of their own: the gallery's URL state needs them in the browser,
 * and lib/search/request (which validates with zod) would bring zod into the page's JavaScript.
 */
export const RESULT_ORDERS = ["relevance", "newest", "oldest"] as const;
export type ResultOrder = (typeof RESULT_ORDERS)[number];
