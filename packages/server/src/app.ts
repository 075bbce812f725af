/**
 * createApp: config + provider registry → an h3 app. Everything the app owns (limiter, metrics, logger,
 * redactor) is created here or passed in: two apps in one process share nothing.
 */
import {
  anthropicMessages,
  type Dialect,
  geminiDialect,
  openaiChat,
  openaiResponses,
} from '@tokenpak/providers';
import { H3 } from 'h3';
import type { AppContext, ClientDialectName } from './app-context.ts';
import { routeByPathId, routeByPreviousResponse } from './cluster/route-by-owner.ts';
import { mintWorkerStreamId, withWorker } from './cluster/worker-ids.ts';
import type { WorkerRole } from './cluster/worker-role.ts';
import type { TokenPakConfig } from './config-types.ts';
import { SSE_HEARTBEAT } from './framing/sse-encoder.ts';
import { configuredSecrets } from './http/configured-secrets.ts';
import { createCors } from './http/cors.ts';
import { createRedactor } from './http/redact.ts';
import { setRequestIds, withHeaders } from './http/response-headers.ts';
import { mountFallback, mountRoute, type RouteFinish, type RouteSpec } from './http/route.ts';
import { type ConcurrencyLimiter, createConcurrencyLimiter } from './limits/concurrency-limiter.ts';
import { type RequestLogger, stderrRequestLogger } from './log/request-log.ts';
import { createGatewayMetrics, type GatewayMetrics } from './metrics/gateway-metrics.ts';
import { createByteRedactor } from './pipeline/redact-bytes.ts';
import type { ProviderLookup } from './registry-types.ts';
import { createMemoryResponseStore } from './responses-state/response-store.ts';
import { createMemoryStreamLogStore } from './resume/memory-stream-log-store.ts';
import type { StreamLogStore } from './resume/stream-log.ts';
import { chatCompletionsRoute } from './routes/chat-completions.ts';
import { countTokensRoute } from './routes/count-tokens.ts';
import { geminiRoute } from './routes/gemini.ts';
import { healthRoute } from './routes/health.ts';
import { messagesRoute } from './routes/messages.ts';
import { methodNotAllowedRoute } from './routes/method-not-allowed.ts';
import { metricsRoute } from './routes/metrics.ts';
import { MODEL_DETAIL_PREFIX, modelDetailRoute } from './routes/model-detail.ts';
import { modelsRoute } from './routes/models.ts';
import { notFoundRoute } from './routes/not-found.ts';
import { responsesRoute } from './routes/responses.ts';
import { storedResponseRoute } from './routes/stored-response.ts';
import { streamResumeRoute } from './routes/stream-resume.ts';

export interface CreateAppOptions {
  /** The loaded config (frozen, fully defaulted). */
  config: TokenPakConfig;
  /** Providers by name, as built from `config.providers`. */
  registry: ProviderLookup;
  /** Receives one structured line per request. Default: JSON on stderr. */
  logger?: RequestLogger;
  /** Default: a fresh registry for this app. */
  metrics?: GatewayMetrics;
  /** Default: a fresh limiter of `streaming.max_concurrent_streams` slots. */
  limiter?: ConcurrencyLimiter;
  /** Client dialects by name. Default: the ones from @tokenpak/providers. */
  dialects?: Partial<Record<ClientDialectName, Dialect>>;
  /** Where stream logs are kept. Default: in memory, with `streaming.resume`'s limits (none when it is off). */
  streamLogs?: StreamLogStore;
  /**
   * Set when this app is one worker of `tokenpak proxy --workers N`: its ids name it, requests for another
   * worker's stream or stored response are forwarded there, and /metrics answers for every worker.
   */
  worker?: WorkerRole;
}

export function createApp(options: CreateAppOptions): H3 {
  const { config, worker } = options;
  const limiter = options.limiter ?? createConcurrencyLimiter(config.streaming.max_concurrent_streams);
  const metrics = options.metrics ?? createGatewayMetrics();
  metrics.bindActiveStreams(() => limiter.active);
  const { resume } = config.streaming;
  const streamLogs =
    options.streamLogs ??
    (resume.enabled
      ? createMemoryStreamLogStore({
          keepMs: resume.keep_ms,
          maxBytesPerStream: resume.max_bytes_per_stream,
          maxBytesTotal: resume.max_bytes_total,
          ...(worker && { mintId: () => mintWorkerStreamId(worker.index) }),
        })
      : undefined);
  if (streamLogs) metrics.bindStreamLogs(() => streamLogs.stats());
  const { response_store: responseStore } = config.server;
  const responses =
    responseStore.max_entries > 0
      ? createMemoryResponseStore({ maxEntries: responseStore.max_entries, ttlMs: responseStore.ttl_ms })
      : undefined;
  const encoder = new TextEncoder();
  const secrets = configuredSecrets(config);
  const ctx: AppContext = {
    config,
    registry: options.registry,
    dialects: {
      'openai-chat': options.dialects?.['openai-chat'] ?? openaiChat,
      'anthropic-messages': options.dialects?.['anthropic-messages'] ?? anthropicMessages,
      'openai-responses': ownIds(options.dialects?.['openai-responses'] ?? openaiResponses, worker),
      gemini: options.dialects?.gemini ?? geminiDialect,
    },
    metrics,
    limiter,
    streamLogs,
    responses,
    logger: options.logger ?? stderrRequestLogger,
    redact: createRedactor(secrets),
    redactBytes: createByteRedactor(secrets),
    createdAt: Math.floor(Date.now() / 1000),
    encoder,
    heartbeat: encoder.encode(SSE_HEARTBEAT),
  };

  const cors = createCors(config.server.cors);
  const hooks: RouteFinish = cors
    ? {
        finish: (request, response) =>
          withHeaders(response, (headers) => {
            setRequestIds(request, headers);
            cors.apply(request, headers);
          }),
        preflight: (request) => cors.preflight(request),
      }
    : { finish: (request, response) => withHeaders(response, (headers) => setRequestIds(request, headers)) };
  const gemini = geminiRoute(ctx);
  const routes: RouteSpec[] = [
    {
      path: '/v1/messages',
      methods: { POST: messagesRoute(ctx) },
      notAllowed: methodNotAllowedRoute(ctx, 'anthropic-messages'),
    },
    {
      path: '/v1/messages/count_tokens',
      methods: { POST: countTokensRoute(ctx) },
      notAllowed: methodNotAllowedRoute(ctx, 'anthropic-messages'),
    },
    {
      path: '/v1/chat/completions',
      methods: { POST: chatCompletionsRoute(ctx) },
      notAllowed: methodNotAllowedRoute(ctx, 'openai-chat'),
    },
    {
      path: '/v1/responses',
      methods: {
        POST: worker
          ? routeByPreviousResponse(worker, config.server.max_body_bytes, responsesRoute(ctx))
          : responsesRoute(ctx),
      },
      notAllowed: methodNotAllowedRoute(ctx, 'openai-responses'),
    },
    {
      path: '/v1/responses/**',
      methods: {
        GET: worker
          ? routeByPathId(worker, '/v1/responses/', storedResponseRoute(ctx))
          : storedResponseRoute(ctx),
      },
      notAllowed: methodNotAllowedRoute(ctx, 'openai-responses'),
    },
    {
      path: '/v1/models',
      methods: { GET: modelsRoute(ctx) },
      notAllowed: methodNotAllowedRoute(ctx, 'client'),
    },
    {
      // GET: one model; POST: Gemini's `models/{model}:generateContent` and friends (the SDK's default /v1).
      path: `${MODEL_DETAIL_PREFIX}**`,
      methods: { GET: modelDetailRoute(ctx), POST: gemini },
      notAllowed: methodNotAllowedRoute(ctx, 'client'),
    },
    {
      path: '/v1beta/models',
      methods: { GET: modelsRoute(ctx, 'gemini') },
      notAllowed: methodNotAllowedRoute(ctx, 'gemini'),
    },
    {
      path: '/v1beta/models/**',
      methods: { GET: modelDetailRoute(ctx, 'gemini'), POST: gemini },
      notAllowed: methodNotAllowedRoute(ctx, 'gemini'),
    },
    {
      path: '/v1/streams/**',
      methods: {
        GET: worker ? routeByPathId(worker, '/v1/streams/', streamResumeRoute(ctx)) : streamResumeRoute(ctx),
      },
      notAllowed: methodNotAllowedRoute(ctx, 'client'),
    },
    { path: '/health', methods: { GET: healthRoute(ctx) }, notAllowed: methodNotAllowedRoute(ctx, 'plain') },
    {
      path: '/metrics',
      methods: { GET: metricsRoute(ctx, worker) },
      notAllowed: methodNotAllowedRoute(ctx, 'plain'),
    },
  ];

  const app = new H3();
  for (const route of routes) mountRoute(app, route, hooks);
  mountFallback(app, notFoundRoute(ctx, routeList(routes)), hooks);
  return app;
}

/** A cluster worker's Responses ids name it (`resp_w<index>_…`), so that the ones it stores can be found. */
function ownIds(dialect: Dialect, worker: WorkerRole | undefined): Dialect {
  const mint = dialect.mintResponseId;
  if (!worker || !mint) return dialect;
  return Object.freeze({ ...dialect, mintResponseId: () => withWorker(mint(), worker.index) });
}

/** `POST /v1/messages, GET /v1/models, GET /v1/models/{id}, ...`: for the 404 message. */
function routeList(routes: readonly RouteSpec[]): string {
  return routes
    .flatMap((route) =>
      Object.keys(route.methods).map((method) => `${method} ${route.path.replace('/**', '/{id}')}`),
    )
    .join(', ');
}
