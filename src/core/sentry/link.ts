// Sentry's cursor pagination: every list response carries a `Link` header with a
// `previous` and a `next` entry, each with `results="true|false"` and a `cursor`
// ("{value}:{offset}:{is_prev}"). There is a next page only when `rel="next"` says
// `results="true"`; the URL is present either way.

export interface LinkEntry {
  url: string;
  rel: string;
  results: boolean;
  cursor?: string;
}

export function parseLinkHeader(header: string | null | undefined): LinkEntry[] {
  if (!header) return [];
  const out: LinkEntry[] = [];
  // Entries are separated by commas outside the <...> URL (which can contain commas).
  const entryPattern = /<([^>]*)>((?:\s*;\s*[\w-]+\s*=\s*(?:"[^"]*"|[^;,]*))*)/g;
  for (const m of header.matchAll(entryPattern)) {
    const params = new Map<string, string>();
    for (const p of m[2].matchAll(/;\s*([\w-]+)\s*=\s*(?:"([^"]*)"|([^;,]*))/g))
      params.set(p[1].toLowerCase(), (p[2] ?? p[3] ?? '').trim());
    const rel = params.get('rel');
    if (!rel) continue;
    out.push({ url: m[1], rel, results: params.get('results') === 'true', cursor: params.get('cursor') });
  }
  return out;
}

/** The cursor of the next page, or undefined when Sentry says there are no more results. */
export function nextCursor(header: string | null | undefined): string | undefined {
  const next = parseLinkHeader(header).find((l) => l.rel === 'next');
  if (!next || !next.results) return undefined;
  if (next.cursor) return next.cursor;
  try {
    return new URL(next.url).searchParams.get('cursor') ?? undefined;
  } catch {
    return undefined;
  }
}
