/** The request's path and query, for a dialect whose URL carries part of the request (`Dialect.readTarget`). */
import type { RequestTarget } from '@tokenpak/providers';

export function requestTarget(url: string): RequestTarget {
  const parsed = new URL(url);
  return { path: parsed.pathname, query: parsed.searchParams };
}
