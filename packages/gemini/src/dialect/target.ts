/**
 * Gemini's URL carries what other APIs put in the body: `…/models/{model}:{method}`, with the method naming
 * the operation and the stream flag, and `?alt=sse` the framing of a stream.
 *
 *   models/{model}:generateContent            → generate, not streamed
 *   models/{model}:streamGenerateContent      → generate, streamed as one JSON array written element by element
 *   models/{model}:streamGenerateContent?alt=sse → generate, streamed as SSE (`data:` lines only)
 *   models/{model}:countTokens                → count-tokens
 *
 * Any API version before `/models/` is accepted (`/v1beta`, `/v1`, `/v1alpha`: the server decides which it
 * mounts). The model is the rest of the path up to the last `:`, percent-decoded (an alias may hold `/`).
 */
import type { RequestTarget, TargetRequest } from '@tokenpak/provider';

const MODELS = '/models/';

export function readTarget(target: RequestTarget): TargetRequest | undefined {
  let path = target.path;
  try {
    path = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  const start = path.indexOf(MODELS);
  const colon = path.lastIndexOf(':');
  if (start === -1 || colon <= start + MODELS.length) return undefined;
  const model = path.slice(start + MODELS.length, colon);
  switch (path.slice(colon + 1)) {
    case 'generateContent':
      return { operation: 'generate', model, stream: false };
    case 'streamGenerateContent':
      return {
        operation: 'generate',
        model,
        stream: true,
        framing: target.query.get('alt') === 'sse' ? 'sse' : 'json-array',
      };
    case 'countTokens':
      return { operation: 'count-tokens', model, stream: false };
    default:
      return undefined;
  }
}
