/**
 * The gemini passthrough watcher: what the server's fast path reads from a Gemini stream it forwards
 * untouched (a Gemini client, a Gemini upstream). Usage and in-stream errors go through the decoder's own
 * mappers (`usageFromGemini`, `errorFromGemini`), so the log and the metrics agree whichever path served it.
 *
 * - Content: the first frame with a non-empty text part or a functionCall part.
 * - Finished: `"finishReason":` (or `"blockReason":` for a blocked prompt) as a JSON key: text cannot forge it
 *   (a quote inside text is escaped, and a text value is never followed by a colon).
 * - Usage: every frame carries `usageMetadata`, so only the frame that finishes is read for it (the key
 *   `finishReason` is what marks it), not each frame.
 * - Errors: a frame `{ "error": … }`. Nothing is left out of the bytes; `modelVersion` is renamed to the alias.
 */
import type { PassthroughWatcher, PassthroughWatcherOptions, Usage } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';
import { createSseWatcher } from '@tokenpak/provider-utils';
import { errorFromGemini, notJsonFrameError } from './errors.ts';
import { usageFromGemini } from './map-usage.ts';
import type { GeminiResponse } from './wire-types.ts';

const CONTENT_MARKERS = ['"text"', '"functionCall"'];
const FINISH_MARKERS = ['"finishReason":', '"finishReason" :', '"blockReason":', '"blockReason" :'];

function hasContent(frame: GeminiResponse): boolean {
  const parts = frame.candidates?.[0]?.content?.parts;
  return (
    Array.isArray(parts) &&
    parts.some((p) => (typeof p?.text === 'string' && p.text !== '') || !!p?.functionCall)
  );
}

export function createGeminiPassthroughWatcher(options: PassthroughWatcherOptions): PassthroughWatcher {
  let usage: Usage = {};
  return createSseWatcher(
    {
      contentMarkers: CONTENT_MARKERS,
      finishMarkers: FINISH_MARKERS,
      usageKeys: ['finishReason', 'blockReason'],
      modelKeys: ['modelVersion'],
      readEvent(_name, data) {
        let frame: GeminiResponse;
        try {
          frame = JSON.parse(data);
        } catch {
          return undefined;
        }
        if (frame === null || typeof frame !== 'object') return undefined;
        if (frame.error && typeof frame.error === 'object') {
          return { error: errorFromGemini(frame.error, undefined, options.provider) };
        }
        if (
          frame.usageMetadata &&
          (frame.candidates?.[0]?.finishReason || frame.promptFeedback?.blockReason)
        ) {
          usage = usageFromGemini(frame.usageMetadata);
        }
        return hasContent(frame) ? { content: true } : undefined;
      },
      usage: () => usage,
      notJsonError: (_event, data) => notJsonFrameError(data),
      unfinishedError: () =>
        new ProviderError({
          type: 'network',
          message: 'upstream stream ended before a frame with finishReason',
          provider: options.provider,
        }),
    },
    options,
  );
}
