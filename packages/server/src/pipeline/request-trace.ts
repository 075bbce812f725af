/**
 * Per-request timing and outcome, taken at the edges (pitfall 6): arrival, upstream first byte, first content
 * byte written to the client, end. `finish` runs once: it writes the log line and the metrics.
 */
import type { ProviderError, Usage } from '@tokenpak/providers';
import type { AppContext } from '../app-context.ts';
import type { FramingName } from '../framing/framing.ts';
import type { RequestLogLine } from '../log/request-log.ts';
import type { RequestOutcome } from '../metrics/gateway-metrics.ts';

export class RequestTrace {
  readonly id: string;
  readonly start = performance.now();
  readonly method: string;
  readonly path: string;
  dialect?: string;
  model?: string;
  provider?: string;
  upstreamModel?: string;
  stream?: boolean;
  framing?: FramingName;
  upstreamStream?: boolean;
  fastPath?: boolean;
  attempts?: number;
  servedBy?: string;
  lastTried?: string;
  gateMs?: number;
  warnings?: string[];
  upstreamTtfbMs?: number;
  ttftMs?: number;
  private finished = false;

  constructor(
    private readonly ctx: AppContext,
    id: string,
    method: string,
    path: string,
  ) {
    this.id = id;
    this.method = method;
    this.path = path;
  }

  /** For CallContext.onUpstreamResponse: bound, so it can be passed as is. */
  readonly markUpstreamResponse = (): void => {
    if (this.upstreamTtfbMs === undefined) this.upstreamTtfbMs = performance.now() - this.start;
  };

  markFirstContent(): void {
    if (this.ttftMs === undefined) this.ttftMs = performance.now() - this.start;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Logs and records the request once; later calls do nothing. */
  finish(status: number, outcome: RequestOutcome, error?: ProviderError, usage?: Usage): void {
    if (this.finished) return;
    this.finished = true;
    const tokensIn = usage?.inputTokens;
    const tokensOut = usage?.outputTokens;
    const durationMs = performance.now() - this.start;
    const { metrics, redact, logger } = this.ctx;
    metrics.requests.inc([outcome]);
    if (tokensIn) metrics.tokens.inc(['in'], tokensIn);
    if (tokensOut) metrics.tokens.inc(['out'], tokensOut);
    if (this.model !== undefined && this.provider !== undefined) {
      const labels = [this.model, this.provider, this.dialect ?? '', this.stream ? 'true' : 'false'];
      metrics.duration.observe(labels, durationMs / 1000);
      if (this.ttftMs !== undefined) metrics.ttft.observe(labels, this.ttftMs / 1000);
    }
    const line: RequestLogLine = {
      time: new Date().toISOString(),
      level:
        outcome === 'ok' || outcome === 'cancelled'
          ? 'info'
          : outcome === 'internal_error'
            ? 'error'
            : 'warn',
      msg: 'request',
      request_id: this.id,
      method: this.method,
      path: this.path,
      status,
      outcome,
      dialect: this.dialect,
      model: this.model,
      provider: this.provider,
      upstream_model: this.upstreamModel,
      stream: this.stream,
      framing: this.framing,
      upstream_stream: this.upstreamStream,
      fast_path: this.fastPath,
      attempts: this.attempts,
      served_by: this.servedBy,
      last_tried: this.lastTried,
      gate_ms: round(this.gateMs),
      upstream_ttfb_ms: round(this.upstreamTtfbMs),
      ttft_ms: round(this.ttftMs),
      duration_ms: round(durationMs) as number,
      tokens_in: tokensIn,
      tokens_out: tokensOut,
      error_type: error?.type,
      error: error ? redact(error.message) : undefined,
      warnings: this.warnings && this.warnings.length > 0 ? this.warnings : undefined,
    };
    try {
      logger(line);
    } catch {
      // A failing logger must not break the response.
    }
  }
}

function round(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms * 1000) / 1000;
}
