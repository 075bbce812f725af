export { buildRequest, thinkingConfig } from './build-request.ts';
export { createStreamDecoder, decodeStream, type GeminiDecoderOptions } from './decode-stream.ts';
export { errorFromGemini, parseError } from './errors.ts';
export { geminiDialect } from './gemini-dialect.ts';
export { finishReasonFromGemini } from './map-finish-reason.ts';
export { usageFromGemini } from './map-usage.ts';
export { parseResponse } from './parse-response.ts';
export { decodeCallId, encodeCallId, mintCallId, REASONING_SIGNATURE_PREFIX } from './thought-signature.ts';
export type * from './wire-types.ts';
