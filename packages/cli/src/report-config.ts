import { type ConfigIssue, type ConfigResult, formatIssue, type TokenPakConfig } from '@tokenpak/config';
import { type Output, paint } from './output.ts';

const FORMAT_NAMES = { sse: 'SSE', chunked: 'chunked' } as const;

/** How a model alias streams: always (stream: true), never (stream: false), or as the client asks. */
export type StreamPolicy = 'always' | 'never' | 'client';

export interface ModelSummary {
  alias: string;
  provider: string;
  model: string;
  stream: StreamPolicy;
  /** The provider cannot stream, so streamed responses are simulated. */
  simulated: boolean;
  buffer_tokens: number;
  flush_interval_ms: number;
}

/** The machine-readable result of `validate-config --json`. Never contains API keys. */
export interface ConfigReport {
  valid: boolean;
  file?: string;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
  notes: ConfigIssue[];
  streaming: {
    enabled: boolean;
    formats: string[];
    buffer_tokens: number;
    flush_interval_ms: number;
    max_concurrent_streams: number;
  } | null;
  models: ModelSummary[];
}

export function summarizeModels(config: TokenPakConfig): ModelSummary[] {
  return Object.entries(config.models).map(([alias, model]) => ({
    alias,
    provider: model.provider,
    model: model.model,
    stream: model.stream === true ? 'always' : model.stream === false ? 'never' : 'client',
    simulated: config.providers[model.provider]?.supports_streaming === false,
    buffer_tokens: model.buffer_tokens ?? config.streaming.buffer_tokens,
    flush_interval_ms: model.flush_interval_ms ?? config.streaming.flush_interval_ms,
  }));
}

export function configReport(result: ConfigResult, file?: string): ConfigReport {
  const base = { file, warnings: result.warnings, notes: result.notes };
  if (!result.ok) return { valid: false, ...base, errors: result.errors, streaming: null, models: [] };
  const { streaming } = result.config;
  return {
    valid: true,
    ...base,
    errors: [],
    streaming: {
      enabled: streaming.enabled,
      formats: [...streaming.formats],
      buffer_tokens: streaming.buffer_tokens,
      flush_interval_ms: streaming.flush_interval_ms,
      max_concurrent_streams: streaming.max_concurrent_streams,
    },
    models: summarizeModels(result.config),
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The human report, as lines: the verdict, the streaming summary, then every issue with its
 * position (errors and warnings with their source excerpt). Used by validate-config and by
 * `tokenpak proxy` before it serves.
 */
export function formatConfigReport(result: ConfigResult, options: { color?: boolean } = {}): string {
  const color = options.color === true;
  const ok = paint(color, 'green', '✓');
  const info = paint(color, 'cyan', 'ℹ');
  const warn = paint(color, 'yellow', '⚠');
  const fail = paint(color, 'red', '✖');
  const lines: string[] = [];
  const issue = (symbol: string, i: ConfigIssue, excerpt: boolean) => {
    const text = formatIssue(excerpt ? i : { ...i, excerpt: undefined }, { color });
    lines.push(`${symbol} ${text.replaceAll('\n', '\n  ')}`);
  };

  if (!result.ok) {
    const counts = [plural(result.errors.length, 'error')];
    if (result.warnings.length) counts.push(plural(result.warnings.length, 'warning'));
    lines.push(`${fail} Config invalid (${counts.join(', ')})`);
    for (const e of result.errors) issue(fail, e, true);
  } else {
    lines.push(`${ok} Config valid`);
    const { streaming } = result.config;
    if (!streaming.enabled) {
      lines.push(
        `${info} Streaming disabled: a request with "stream": true gets a 400; others are answered whole`,
      );
    } else {
      const formats = streaming.formats.map((f) => FORMAT_NAMES[f]).join(' + ');
      lines.push(`${ok} Streaming enabled (${formats})`);
      const models = summarizeModels(result.config);
      const names = (policy: StreamPolicy) => models.filter((m) => m.stream === policy).map((m) => m.alias);
      const always = names('always');
      const client = names('client');
      const never = names('never');
      if (always.length) {
        lines.push(`${ok} Streaming models available: ${always.join(', ')}`);
        if (client.length) lines.push(`${info} Stream when the client asks: ${client.join(', ')}`);
      } else if (client.length) {
        lines.push(`${ok} Streaming models available (when the client asks): ${client.join(', ')}`);
      } else if (never.length) {
        lines.push(`${warn} No streaming models: every model has stream: false`);
      }
      if (never.length && (always.length || client.length)) {
        lines.push(`${info} Never streamed (stream: false): ${never.join(', ')}`);
      }
    }
  }
  for (const w of result.warnings) issue(warn, w, true);
  for (const n of result.notes) issue(info, n, false);
  return `${lines.join('\n')}\n`;
}

/** Writes the human report to `output` (colour as the output allows). */
export function reportConfig(result: ConfigResult, output: Output): void {
  output.write(formatConfigReport(result, { color: output.color }));
}
