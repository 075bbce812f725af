/** NDJSON formatting: one JSON event per line. Non-JSON sentinels such as OpenAI's `[DONE]` are left out. */
import type { WireEvent } from '@tokenpak/providers';

/** The line for one event, or undefined for a sentinel that NDJSON does not carry. */
export function formatNdjsonEvent(event: WireEvent): string | undefined {
  if (event.sentinel) return undefined;
  const data = event.data;
  return (data.indexOf('\n') === -1 ? data : data.replace(/\r?\n/g, ' ')) + '\n';
}

export const NDJSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/x-ndjson; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
};
