/** Upstream body adjustments for OpenAI-dialect providers. */

/** Asks for usage in streams (`stream_options.include_usage: true`), so usage is never lost. */
export function forceStreamUsage(body: Record<string, unknown>, stream: boolean): void {
  if (!stream) return;
  const options = body.stream_options;
  if (
    options !== null &&
    typeof options === 'object' &&
    (options as Record<string, unknown>).include_usage === true
  ) {
    return;
  }
  body.stream_options = { ...(options as object | undefined), include_usage: true };
}

/** Removes `stream_options` for servers that reject it (openai-compatible `include_usage: false`). */
export function dropStreamOptions(body: Record<string, unknown>): void {
  delete body.stream_options;
}
