// The openai-responses dialect. Keep this file an export list only.

export { errorFromResponsesObject, responsesErrorCode } from './errors.ts';
export type { ResponsesStatus, StatusOut } from './map-status.ts';
export { finishReasonFromStatus, statusFromFinishReason } from './map-status.ts';
export type { ResponsesUsageOut } from './map-usage.ts';
export { usageFromResponses, usageToResponses } from './map-usage.ts';
export { openaiResponses } from './openai-responses-dialect.ts';
