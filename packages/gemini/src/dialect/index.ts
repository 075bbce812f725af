export { buildRequest, thinkingConfig } from './build-request.ts';
export { createStreamDecoder, decodeStream, type GeminiDecoderOptions } from './decode-stream.ts';
export { GEMINI_DIALECT } from './dialect-name.ts';
export { encodeError, encodeErrorEvent, geminiErrorStatus } from './encode-error.ts';
export { encodeResponse } from './encode-response.ts';
export { createStreamEncoder, encodeStream } from './encode-stream.ts';
export { errorFromGemini, parseError } from './errors.ts';
export { geminiDialect } from './gemini-dialect.ts';
export { schemaToJsonSchema } from './json-schema.ts';
export { finishReasonFromGemini, finishReasonToGemini } from './map-finish-reason.ts';
export { usageFromGemini, usageToGemini } from './map-usage.ts';
export { type GeminiModel, geminiModel, geminiModelList, geminiTokenCount } from './model-list.ts';
export { parseRawRequest, parseRequest } from './parse-request.ts';
export { parseResponse } from './parse-response.ts';
export { createGeminiPassthroughWatcher } from './passthrough-watcher.ts';
export { readTarget } from './target.ts';
export {
  decodeCallId,
  encodeCallId,
  mintCallId,
  REASONING_SIGNATURE_PREFIX,
  thoughtSignatureOf,
} from './thought-signature.ts';
export type * from './wire-types.ts';
