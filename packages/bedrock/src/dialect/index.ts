// The Converse wire, piece by piece. Keep this file an export list only.

export { BEDROCK_DIALECT, bedrockConverse } from './bedrock-dialect.ts';
export { buildRequest } from './build-request.ts';
export { createStreamDecoder } from './decode-stream.ts';
export { errorMessage, exceptionError, exceptionName, parseError } from './errors.ts';
export { mapStopReason } from './map-stop-reason.ts';
export { mapUsage } from './map-usage.ts';
export { isClaude, takesToolResultStatus } from './model-family.ts';
export { parseResponse } from './parse-response.ts';
export { wireToolUseId } from './tool-use-id.ts';
export type * from './wire-types.ts';
