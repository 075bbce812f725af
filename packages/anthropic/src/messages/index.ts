// Public exports of the anthropic-messages dialect. Keep this file an export list only.
export { anthropicMessages } from './anthropic-messages-dialect.ts';
export type { AnthropicStopReason } from './map-stop-reason.ts';
export { finishReasonFromAnthropic, finishReasonToAnthropic } from './map-stop-reason.ts';
export { usageFromAnthropic, usageToAnthropic } from './map-usage.ts';
