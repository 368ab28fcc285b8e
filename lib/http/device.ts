/**
 * Whether a request comes from a phone, from what every request already carries: Chromium's
 * Sec-CH-UA-Mobile client hint (sent unasked), else the "Mobi" token phones' browsers put in their
 * user agent (MDN's advice where a device must be guessed). A tablet or an unknown browser counts
 * as not a phone: it gets the page a desktop gets, which is only larger.
 */
export function isPhoneRequest(headers: Headers): boolean {
  const hint = headers.get("sec-ch-ua-mobile");
  if (hint) return hint.trim() === "?1";
  return /Mobi/i.test(headers.get("user-agent") ?? "");
}
