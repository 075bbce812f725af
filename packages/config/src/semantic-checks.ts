import { suggestion } from './did-you-mean.ts';
import type { ConfigIssue } from './issue.ts';
import type { PathKey, SourceLocator } from './source-locator.ts';
import type { TokenPakConfig } from './types.ts';
import { upstreamModelChecks } from './upstream-model-checks.ts';

/** Past this many buffered tokens a client visibly waits (recipe pitfall 1). */
export const BUFFER_TOKENS_WARN_ABOVE = 20;
/** Past this flush interval a token can sit noticeably long before it is sent (pitfalls 5 and 6). */
export const FLUSH_INTERVAL_WARN_ABOVE_MS = 1000;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Checks across sections that a schema cannot express. Positions come from the locator. */
export function semanticChecks(config: TokenPakConfig, at: SourceLocator): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { streaming, providers, models, server } = config;
  const providerNames = Object.keys(providers);

  if (!streaming.enabled && at.has(['streaming', 'formats'])) {
    issues.push(
      at.issue('warning', ['streaming', 'formats'], 'is ignored because streaming.enabled is false'),
    );
  }
  coalescing(issues, at, ['streaming'], streaming.buffer_tokens, streaming.flush_interval_ms, true, true);

  const aliases = Object.keys(models);
  if (aliases.length === 0) {
    issues.push(at.issue('warning', ['models'], 'no models are defined: every request will be refused'));
  }
  const used = new Set<string>();
  for (const alias of aliases) {
    const model = models[alias]!;
    const fallbacks = model.fallbacks ?? [];
    for (const [i, fallback] of fallbacks.entries()) {
      if (fallbacks.indexOf(fallback) < i) {
        issues.push(
          at.issue(
            'warning',
            ['models', alias, 'fallbacks', i],
            `'${fallback}' is already listed (fallbacks[${fallbacks.indexOf(fallback)}]): it is tried once`,
          ),
        );
      } else if (fallback === alias) {
        issues.push(
          at.issue('error', ['models', alias, 'fallbacks', i], `'${alias}' cannot fall back to itself`),
        );
      } else if (!Object.hasOwn(models, fallback)) {
        const hint = suggestion(fallback, aliases);
        issues.push(
          at.issue('error', ['models', alias, 'fallbacks', i], `no model alias named '${fallback}'${hint}`),
        );
      }
    }
    const provider = providers[model.provider];
    used.add(model.provider);
    if (!provider) {
      issues.push(unknownProvider(at, alias, model.provider, providerNames));
      continue;
    }
    if (model.stream === true && !streaming.enabled) {
      issues.push(
        at.issue(
          'error',
          ['models', alias, 'stream'],
          'is true but streaming.enabled is false: enable streaming or remove stream: true',
        ),
      );
    } else if (model.stream === true && !provider.supports_streaming) {
      issues.push(
        at.issue(
          'info',
          ['models', alias, 'stream'],
          `provider '${model.provider}' has supports_streaming: false, so '${alias}' will be served as a simulated stream (the whole response is fetched, then streamed)`,
        ),
      );
    }
    const ownBuffer = model.buffer_tokens !== undefined;
    const ownFlush = model.flush_interval_ms !== undefined;
    if (ownBuffer || ownFlush) {
      coalescing(
        issues,
        at,
        ['models', alias],
        model.buffer_tokens ?? streaming.buffer_tokens,
        model.flush_interval_ms ?? streaming.flush_interval_ms,
        ownBuffer,
        ownFlush,
      );
    }
  }

  issues.push(...upstreamModelChecks(config, at));

  for (const name of providerNames) {
    if (!used.has(name) && aliases.length > 0) {
      issues.push(
        at.issue('info', ['providers', name], `provider '${name}' is not used by any model`, 'key'),
      );
    }
    const { retry_base_ms: base, retry_max_ms: max } = providers[name]!;
    if (at.has(['providers', name, 'retry_base_ms']) && base > max) {
      issues.push(
        at.issue(
          'warning',
          ['providers', name, 'retry_base_ms'],
          `is more than retry_max_ms (${max}): no retry waits longer than retry_max_ms`,
        ),
      );
    }
    const raw = at.rawText(['providers', name, 'api_key']);
    if (
      raw !== undefined &&
      !raw.includes('${') &&
      providers[name]!.api_key &&
      providers[name]!.type !== 'mock'
    ) {
      issues.push(
        at.issue(
          'warning',
          ['providers', name, 'api_key'],
          'is written in the file: prefer ${ENV_VAR} so the key stays out of version control',
        ),
      );
    }
  }

  if (!LOOPBACK.has(server.host) && !server.api_keys) {
    issues.push(
      at.issue(
        'warning',
        ['server', 'host'],
        `listens on ${server.host} without server.api_keys: anyone who can reach it can spend your provider keys`,
      ),
    );
  }
  return issues;
}

/** The recipe's latency pitfalls for one set of coalescing settings (global or a model's override). */
function coalescing(
  issues: ConfigIssue[],
  at: SourceLocator,
  base: PathKey[],
  bufferTokens: number,
  flushMs: number,
  ownBuffer: boolean,
  ownFlush: boolean,
): void {
  if (ownBuffer && bufferTokens > BUFFER_TOKENS_WARN_ABOVE) {
    issues.push(
      at.issue(
        'warning',
        [...base, 'buffer_tokens'],
        `is ${bufferTokens}: clients wait for ${bufferTokens} tokens before they see anything, which hurts perceived latency; 5-10 is a good balance`,
      ),
    );
  }
  if (ownFlush && flushMs > FLUSH_INTERVAL_WARN_ABOVE_MS) {
    issues.push(
      at.issue(
        'warning',
        [...base, 'flush_interval_ms'],
        `is ${flushMs}: a buffered token can wait ${flushMs} ms before it is sent, and time to first token grows with it; keep it at ${FLUSH_INTERVAL_WARN_ABOVE_MS} or below`,
      ),
    );
  }
  if (flushMs === 0 && bufferTokens > 1 && (ownBuffer || ownFlush)) {
    issues.push(
      at.issue(
        'warning',
        [...base, ownFlush ? 'flush_interval_ms' : 'buffer_tokens'],
        `flush_interval_ms is 0 (no timer) with buffer_tokens ${bufferTokens}: when tokens arrive slowly, up to ${bufferTokens - 1} of them wait for the next ones or the end of the stream; set a flush interval (e.g. 50)`,
      ),
    );
  }
}

export function unknownProvider(
  at: SourceLocator,
  alias: string,
  name: string,
  providerNames: readonly string[],
): ConfigIssue {
  const hint = suggestion(name, providerNames);
  const known = providerNames.length ? `known: ${providerNames.join(', ')}` : 'no providers are defined';
  return at.issue(
    'error',
    ['models', alias, 'provider'],
    `no provider named '${name}'${hint || ` (${known})`}`,
  );
}

/**
 * The provider-reference check on raw input, for configs that failed the schema elsewhere,
 * so that a typo in a reference is reported along with the other errors.
 */
export function rawReferenceChecks(raw: unknown, at: SourceLocator): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!isRecord(raw) || !isRecord(raw.models)) return issues;
  const providerNames = isRecord(raw.providers) ? Object.keys(raw.providers) : [];
  for (const [alias, model] of Object.entries(raw.models)) {
    if (isRecord(model) && typeof model.provider === 'string' && model.provider !== '') {
      if (!providerNames.includes(model.provider)) {
        issues.push(unknownProvider(at, alias, model.provider, providerNames));
      }
    }
  }
  return issues;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
