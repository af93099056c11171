/**
 * Tracking redirects: links such as `https://click.example.com/r?url=https%3A%2F%2Fnews.example.org%2Fa`
 * whose real target sits in a query parameter. Readers see and search the target; the link sent to
 * platforms stays the original (the newsletter counts its clicks through it).
 */

/**
 * Query parameters that carry a redirect's target, tried in this order. A short, common list
 * (mail tools, link shorteners, social sites); a parameter not listed is never taken as a target,
 * so an ordinary `?ref=https://…` on an article is left alone.
 */
export const REDIRECT_PARAMS: readonly string[] = [
  'target',
  'url',
  'u',
  'to',
  'redirect',
  'redirect_url',
  'redirect_uri',
  'dest',
  'destination',
  'link',
  'goto',
  'q',
];

/** An absolute http(s) URL with a host, parsed; else null. */
function webUrl(text: string): URL | null {
  if (!URL.canParse(text)) return null;
  const parsed = new URL(text);
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname ? parsed : null;
}

/** The target of one level of redirect: the first listed parameter whose value is an absolute http(s) URL. */
function unwrapOnce(url: URL): string | null {
  for (const name of REDIRECT_PARAMS) {
    // URLSearchParams has already decoded the value once ("%3A%2F%2F" → "://").
    for (const value of url.searchParams.getAll(name)) {
      const target = webUrl(value.trim());
      if (target) return target.href;
    }
  }
  return null;
}

/**
 * The real target of a tracking redirect, or null when `url` is not one. The target is the value of
 * a parameter of REDIRECT_PARAMS that, decoded, is an absolute http(s) URL (never javascript:, a
 * relative path or a bare host). A redirect to another redirect is unwrapped once more, no further:
 * two levels are what real mail tools produce, and a bound keeps hostile links cheap.
 */
export function redirectTarget(url: string): string | null {
  const outer = webUrl(url);
  if (!outer) return null;
  const first = unwrapOnce(outer);
  if (!first) return null;
  const inner = webUrl(first);
  return (inner && unwrapOnce(inner)) ?? first;
}

/** What a reader should see of `url`, and what search indexes: the redirect's target, else `url` itself. */
export function displayUrl(url: string): string {
  return redirectTarget(url) ?? url;
}
