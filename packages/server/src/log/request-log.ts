/** One structured line per request: timing at the edges, tokens, outcome. Never bodies, never keys. */
import type { RequestOutcome } from '../metrics/gateway-metrics.ts';

export interface RequestLogLine {
  time: string;
  level: 'info' | 'warn' | 'error';
  msg: 'request';
  request_id: string;
  method: string;
  path: string;
  status: number;
  outcome: RequestOutcome;
  /** The client's dialect (the route's). */
  dialect?: string;
  /** The alias the client asked for. */
  model?: string;
  provider?: string;
  upstream_model?: string;
  /** Whether the client got a stream, and how it was framed. */
  stream?: boolean;
  framing?: 'sse' | 'ndjson' | 'json-array';
  upstream_stream?: boolean;
  fast_path?: boolean;
  /** Upstream attempts made before the first content (1 when the first succeeded). */
  attempts?: number;
  /** The alias that served the request when it was not the one asked for (a fallback). */
  served_by?: string;
  /**
   * When every attempt failed and the last error came from a fallback: that alias (\`provider\` and
   * \`upstream_model\` are then its own), so the error is read against what gave it.
   */
  last_tried?: string;
  /** Time spent at the first-token gate (retries and fallbacks included). */
  gate_ms?: number;
  /** Milliseconds from arrival to the upstream's response headers / first byte. */
  upstream_ttfb_ms?: number;
  /** Milliseconds from arrival to the first content byte written to the client. */
  ttft_ms?: number;
  /** Milliseconds from arrival to the end of the response. */
  duration_ms: number;
  tokens_in?: number;
  tokens_out?: number;
  error_type?: string;
  error?: string;
  warnings?: string[];
}

export type RequestLogger = (line: RequestLogLine) => void;

/** Default logger: one JSON line on stderr. */
export const stderrRequestLogger: RequestLogger = (line) => {
  const text = JSON.stringify(line) + '\n';
  const stderr = (globalThis as { process?: { stderr?: { write(text: string): unknown } } }).process?.stderr;
  if (stderr) stderr.write(text);
  else console.error(text.trimEnd());
};

/** A logger that drops every line (tests, embedding). */
export const silentRequestLogger: RequestLogger = () => {};
