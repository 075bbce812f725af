/**
 * A wire dialect, used in both directions. `openai-chat` and `anthropic-messages` implement this.
 *
 *   client body ──parseRequest──▶ CanonicalRequest ──buildRequest──▶ upstream body
 *   upstream SSE ──decodeStream──▶ StreamEvent* ──encodeStream──▶ client wire events
 *   upstream JSON ──parseResponse──▶ CanonicalResponse ──encodeResponse──▶ client JSON
 *
 * The stream directions come twice: as synchronous stages (`createStreamDecoder` / `createStreamEncoder`,
 * for hot paths that run several steps per network chunk in plain calls) and as TransformStreams over
 * those same stages (`decodeStream` / `encodeStream`).
 */

import type { DialectName } from './dialect-name.ts';
import type { ProviderError } from './errors.ts';
import type { StreamEvent } from './events.ts';
import type { PassthroughWatcher, PassthroughWatcherOptions } from './passthrough.ts';
import type { CanonicalRequest } from './request.ts';
import type { CanonicalResponse } from './response.ts';
import type { SseMessage } from './sse-message.ts';
import type { StreamStage } from './stream-stage.ts';

/** One event on the client's wire, before framing. The server frames it as SSE or NDJSON. */
export interface WireEvent {
  /** SSE `event:` name (Anthropic uses them; OpenAI does not). */
  event?: string;
  /** The payload: JSON text, or a sentinel such as OpenAI's `[DONE]`. */
  data: string;
  /** True for a terminator that is not JSON (`[DONE]`): NDJSON framing leaves it out. */
  sentinel?: boolean;
}

export interface BuildRequestOptions {
  /** The upstream model id to put in the body. */
  model: string;
  /** Whether to ask the upstream for a stream. */
  stream: boolean;
  /** max_tokens to send when the request has none and the upstream needs one (Anthropic). */
  defaultMaxTokens: number;
}

export interface EncodeStreamOptions {
  /** The model name to show the client (the alias it asked for). */
  model: string;
  /** Id for the client-facing message (`chatcmpl-…` / `msg_…`); minted when absent. */
  id?: string;
  /** OpenAI: whether the client asked for `stream_options.include_usage` (else no usage chunk is sent). */
  includeUsage?: boolean;
  /**
   * The client's request as parsed, for a dialect whose answers repeat it (the Responses API's `response`
   * object echoes `instructions`, `tools`, `temperature`, `metadata`...). Other dialects ignore it.
   */
  request?: CanonicalRequest;
}

/**
 * Where a client sent its request, for a dialect whose URL carries part of it (Gemini names the model and the
 * operation in the path, `models/{model}:streamGenerateContent`, and the framing in the query, `alt=sse`).
 * Dialects whose body says everything ignore it.
 */
export interface RequestTarget {
  /** The path, without the query (e.g. `/v1beta/models/gemini-flash:streamGenerateContent`). */
  path: string;
  query: URLSearchParams;
}

export interface PassthroughResponseOptions {
  /** The model name to show the client instead of the upstream's (the alias it asked for). */
  rename?: { from: string; to: string };
}

export interface PassthroughResponse {
  /** The body to send the client. */
  body: unknown;
  /** The same answer in canonical terms. */
  response: CanonicalResponse;
}

/** How a streamed answer is framed for the client: SSE, NDJSON lines, or one JSON array sent element by element. */
export type StreamFraming = 'sse' | 'ndjson' | 'json-array';

/** What a request's URL asks for (see `Dialect.readTarget`). */
export interface TargetRequest {
  /** `generate`: a generation (streamed or not); `count-tokens`: count the input's tokens, generate nothing. */
  operation: 'generate' | 'count-tokens';
  /** The model the URL names (a TokenPak alias). */
  model: string;
  /** Whether the URL asks for a stream. */
  stream: boolean;
  /** The framing the URL asks for; undefined leaves the choice to the `Accept` header. */
  framing?: StreamFraming;
}

export interface ParsedRequest {
  request: CanonicalRequest;
  /** Things the client sent that we accept but ignore or change; surfaced as a response header and in logs. */
  warnings: string[];
}

/**
 * The upstream half of a wire dialect: what a provider needs to call an API that speaks it. A dialect that
 * TokenPak only ever sends to (Gemini's, Ollama's) implements just this; `Dialect` adds the client half.
 * `Message` is what one step of the upstream stream is: an SSE message (`framing: 'sse'`, the default) or one
 * parsed JSON value per NDJSON line (`framing: 'ndjson'`).
 */
export interface UpstreamDialect<Message = SseMessage> {
  readonly name: DialectName;
  /** How the upstream frames a stream. Default: `sse`. */
  readonly framing?: 'sse' | 'ndjson';
  /** Canonical → upstream JSON body. Dropped fields are added to `warnings` when given. */
  buildRequest(
    request: CanonicalRequest,
    options: BuildRequestOptions,
    warnings?: string[],
  ): Record<string, unknown>;
  /** Upstream stream messages → canonical events, a fresh stage per stream. Always ends with `finish` or `error`. */
  createStreamDecoder(): StreamStage<Message, StreamEvent>;
  /** Upstream non-stream JSON body → canonical response. */
  parseResponse(body: unknown): CanonicalResponse;
  /** Upstream error body (non-2xx) → ProviderError with the provider's status, type and message. */
  parseError(status: number, body: unknown, provider: string): ProviderError;
}

export interface Dialect extends UpstreamDialect<SseMessage> {
  /**
   * Client body → canonical. Throws ProviderError('invalid_request') naming the problem. `target` is where the
   * body was sent: a dialect whose URL names the model or the stream flag (see `readTarget`) reads them there.
   */
  parseRequest(body: unknown, target?: RequestTarget): ParsedRequest;
  /**
   * For an upstream of this same dialect when `parseRequest` refused the body: a request that carries only
   * what routing needs (model, stream) and the body as `raw`, so that the upstream, not the proxy, judges it.
   * Throws ProviderError('invalid_request') only when not even that can be read (no model).
   */
  parseRawRequest?(body: unknown, target?: RequestTarget): CanonicalRequest;
  /**
   * For a dialect whose URL carries the model, the operation and the stream flag (Gemini's
   * `models/{model}:generateContent`): what `target` asks for, or undefined when the path is none of the
   * dialect's operations. The server mounts the routes and asks; the wire knowledge stays here.
   */
  readTarget?(target: RequestTarget): TargetRequest | undefined;
  /**
   * Whether this dialect's clients accept SSE `id:` lines (default true). The `@google/genai` SDK reads an
   * event as `data:` followed by JSON and nothing else, so its streams are written without ids (resumed by
   * counting events instead).
   */
  readonly sseEventIds?: boolean;
  /** `createStreamDecoder` as a TransformStream over SSE messages. */
  decodeStream(): TransformStream<SseMessage, StreamEvent>;
  /** Canonical events → client wire events, including the dialect's own start/stop/terminator events. */
  encodeStream(options: EncodeStreamOptions): TransformStream<StreamEvent, WireEvent>;
  /** The same encoder as a synchronous stage (a fresh one per stream). */
  createStreamEncoder(options: EncodeStreamOptions): StreamStage<StreamEvent, WireEvent>;
  /** Canonical response → client JSON body. */
  encodeResponse(response: CanonicalResponse, options: EncodeStreamOptions): Record<string, unknown>;
  /** An error as a client HTTP response: status and JSON body in this dialect. */
  encodeError(error: ProviderError): { status: number; body: Record<string, unknown> };
  /** An error as an in-stream event (after the stream has started). */
  encodeErrorEvent(error: ProviderError): WireEvent;
  /**
   * For the same-dialect fast path: a fresh watcher over one upstream SSE stream forwarded as bytes. A dialect
   * without one is always served through its decoder and encoder.
   */
  createPassthroughWatcher?(options: PassthroughWatcherOptions): PassthroughWatcher;
  /**
   * For the same-dialect non-streamed path: the upstream's JSON answer as the client gets it (every field
   * kept, only the model renamed to the alias where the dialect names it) and what it says in canonical terms
   * (usage and finish reason for the log; the response for the store). A dialect without one is served
   * through `parseResponse` and `encodeResponse`.
   */
  passthroughResponse?(body: unknown, options: PassthroughResponseOptions): PassthroughResponse;
  /**
   * Lower-case names of client request headers that a provider speaking this dialect may see (e.g. Anthropic's
   * `anthropic-beta`), handed to the provider as `CallContext.clientHeaders`. Never credentials.
   */
  readonly forwardedClientHeaders?: readonly string[];
  /**
   * A fresh id for a client-facing response in this dialect's shape (`resp_…`), for when the server must know it
   * before encoding (to store the response under it); given to the encoder as `EncodeStreamOptions.id`.
   */
  mintResponseId?(): string;
  /** Whether a request's headers show a client of this dialect (for routes every SDK calls, e.g. /v1/models). */
  recognizesClient?(headers: Headers): boolean;
}
