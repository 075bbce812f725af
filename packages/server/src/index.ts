// Public exports of @tokenpak/server. Keep this file an export list only. Node listener: '@tokenpak/server/node'.

export type { CreateAppOptions } from './app.ts';
export { createApp } from './app.ts';
export { ownerOfId } from './cluster/worker-ids.ts';
export type { WorkerRole } from './cluster/worker-role.ts';
export type {
  ModelConfig,
  ServerConfig,
  StreamFormat,
  StreamingConfig,
  TokenPakConfig,
} from './config-types.ts';
export type { FramingName } from './framing/framing.ts';
export { formatNdjsonEvent } from './framing/ndjson-encoder.ts';
export { formatSseEvent, SSE_HEARTBEAT } from './framing/sse-encoder.ts';
export type { Gateway, GatewayOptions } from './gateway.ts';
export { createGateway } from './gateway.ts';
export type { ConcurrencyLimiter, LocalConcurrencyLimiter, Slot } from './limits/concurrency-limiter.ts';
export { createConcurrencyLimiter } from './limits/concurrency-limiter.ts';
export type { SharedLimiter, SharedLimiterOptions } from './limits/shared-limiter.ts';
export { createSharedLimiter } from './limits/shared-limiter.ts';
export type { SlotBroker, SlotBrokerOptions } from './limits/slot-broker.ts';
export { createSlotBroker } from './limits/slot-broker.ts';
export type { SlotReply, SlotRequest } from './limits/slot-messages.ts';
export { isSlotReply, isSlotRequest } from './limits/slot-messages.ts';
export type { RequestLogger, RequestLogLine } from './log/request-log.ts';
export { silentRequestLogger, stderrRequestLogger } from './log/request-log.ts';
export type { GatewayMetrics, RequestOutcome } from './metrics/gateway-metrics.ts';
export { createGatewayMetrics } from './metrics/gateway-metrics.ts';
export { mergeFamilies } from './metrics/merge-families.ts';
export type { HistogramFamily, MetricFamily, ValueFamily } from './metrics/metric-family.ts';
export type { Counter, Histogram, MetricsRegistry } from './metrics/registry.ts';
export { createMetricsRegistry } from './metrics/registry.ts';
export { renderFamilies } from './metrics/render-families.ts';
export type { ProviderLookup } from './registry-types.ts';
