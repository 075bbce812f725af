/**
 * SSE formatting: pure functions from one wire event to its text. The stream that writes them lives in
 * frame-stream.ts.
 */
import type { WireEvent } from '@tokenpak/providers';

/** The comment written after `heartbeat_ms` of upstream silence; clients ignore it, proxies see traffic. */
export const SSE_HEARTBEAT = ': ping\n\n';

/** `event: <name>\n` (when named), `id: <n>\n`, `data: <payload>\n\n`. Multi-line payloads get one `data:` per line. */
export function formatSseEvent(event: WireEvent, id: number): string {
  const head =
    event.event === undefined ? 'id: ' + id + '\n' : 'event: ' + event.event + '\nid: ' + id + '\n';
  return head + formatSseData(event);
}

/**
 * The same event without `event:` and `id:` lines, for clients that read nothing but `data:` (the
 * `@google/genai` SDK takes everything after `data:` as JSON).
 */
export function formatSseData(event: WireEvent): string {
  const data = event.data;
  if (data.indexOf('\n') === -1) return 'data: ' + data + '\n\n';
  return 'data: ' + data.replace(/\r?\n/g, '\ndata: ') + '\n\n';
}

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
};
