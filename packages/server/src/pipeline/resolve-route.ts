/** Alias → provider, upstream model id, stream policy inputs, coalescing settings and max_tokens default. */
import { type Provider, ProviderError } from '@tokenpak/providers';
import type { AppContext } from '../app-context.ts';

export interface ResolvedRoute {
  alias: string;
  providerName: string;
  provider: Provider;
  upstreamModel: string;
  /** The model's `stream` flag: true always streams upstream, false never, undefined follows the client. */
  modelStream: boolean | undefined;
  bufferTokens: number;
  flushIntervalMs: number;
  defaultMaxTokens: number;
}

const LISTED = 8;

export function resolveRoute(ctx: AppContext, alias: string): ResolvedRoute {
  const { config } = ctx;
  const entry = Object.hasOwn(config.models, alias) ? config.models[alias] : undefined;
  if (!entry) {
    const names = Object.keys(config.models);
    const listed = names.slice(0, LISTED).join(', ');
    const more = names.length > LISTED ? ` (and ${names.length - LISTED} more: GET /v1/models)` : '';
    throw new ProviderError({
      type: 'not_found',
      code: 'model_not_found',
      param: 'model',
      message:
        names.length === 0
          ? `Unknown model '${alias}': no models are configured.`
          : `Unknown model '${alias}'. Available models: ${listed}${more}.`,
    });
  }
  const provider = ctx.registry.get(entry.provider);
  if (!provider) {
    throw new ProviderError({
      type: 'api_error',
      message: `Model '${alias}' names provider '${entry.provider}', which is not loaded.`,
    });
  }
  return {
    alias,
    providerName: entry.provider,
    provider,
    upstreamModel: entry.model ?? alias,
    modelStream: entry.stream,
    bufferTokens: entry.buffer_tokens ?? config.streaming.buffer_tokens,
    flushIntervalMs: entry.flush_interval_ms ?? config.streaming.flush_interval_ms,
    defaultMaxTokens: entry.max_tokens ?? config.server.default_max_tokens,
  };
}

/**
 * Whether to ask the upstream for a stream: the model's flag wins, else the client's wish; a provider that
 * cannot stream never does (its answer is then served as a simulated stream when the client wants one).
 */
export function upstreamShouldStream(route: ResolvedRoute, clientStream: boolean): boolean {
  if (!route.provider.supportsStreaming) return false;
  return route.modelStream ?? clientStream;
}
