/**
 * The upstream HTTP client: one undici Pool (keep-alive) per provider origin, timeouts for connect,
 * first byte and the idle gap between body chunks, and the caller's AbortSignal all the way to the socket.
 */
import type { Readable } from 'node:stream';
import type { ProviderError } from '@tokenpak/provider';
import { Pool } from 'undici';
import {
  type BodyHooks,
  BYTE_READER,
  type ByteReader,
  byteReaderToWeb,
  nodeBodyReader,
} from './byte-reader.ts';
import {
  canDecode,
  contentEncodingOf,
  decodedBody,
  decodeError,
  isDecodeError,
  unsupportedEncodingError,
  withAcceptEncoding,
} from './content-encoding.ts';
import { abortedError, type UpstreamErrorContext, upstreamError } from './upstream-errors.ts';

export interface UpstreamClientOptions {
  /** Provider name (config key), used in error messages. */
  provider: string;
  /** Origin of the upstream: `https://api.openai.com`. */
  origin: string;
  connectTimeoutMs: number;
  /** Time allowed until the response headers arrive (`timeout_ms`). */
  firstByteTimeoutMs: number;
  /** Longest silence between two body chunks (`idle_timeout_ms`). */
  idleTimeoutMs: number;
}

export interface UpstreamRequest {
  /** Path and query, starting with `/`. */
  path: string;
  headers: Record<string, string>;
  /** The JSON body text. */
  body: string;
  signal: AbortSignal;
  /** Called once when the response headers arrive. */
  onResponse?: () => void;
  /** Called once when the response body has ended (no error), failed (the error) or been cancelled. */
  onEnd?: (error: ProviderError | undefined, cancelled: boolean) => void;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /**
   * Cancelling this stream aborts the request and closes its socket. Errors are ProviderErrors. Built on
   * first use: `openBytes(response)` reads the body without it (see byte-reader.ts).
   */
  readonly body: ReadableStream<Uint8Array>;
}

function upstreamResponse(
  status: number,
  headers: UpstreamResponse['headers'],
  reader: ByteReader,
): UpstreamResponse {
  let body: ReadableStream<Uint8Array> | undefined;
  return {
    status,
    headers,
    [BYTE_READER]: reader,
    get body() {
      body ??= byteReaderToWeb(reader);
      return body;
    },
  } as UpstreamResponse;
}

export interface UpstreamClient {
  readonly origin: string;
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  /** Closes the pool: idle sockets at once, busy ones when their response ends. */
  close(): Promise<void>;
}

export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const pool = new Pool(options.origin, {
    connect: { timeout: options.connectTimeoutMs },
    headersTimeout: options.firstByteTimeoutMs,
    bodyTimeout: options.idleTimeoutMs,
  });
  const context = (afterHeaders: boolean): UpstreamErrorContext => ({
    provider: options.provider,
    origin: options.origin,
    connectTimeoutMs: options.connectTimeoutMs,
    firstByteTimeoutMs: options.firstByteTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    afterHeaders,
  });

  return {
    origin: options.origin,

    async send(request) {
      const { signal } = request;
      if (signal.aborted) throw abortedError(options.provider, signal.reason);
      // The caller's signal goes to undici as is (no AbortController of our own per request): aborting it
      // aborts the request, and cancelling the body destroys undici's body, which aborts the request too.
      let response: Awaited<ReturnType<Pool['request']>>;
      try {
        response = await pool.request({
          path: request.path,
          method: 'POST',
          // undici asks for no encoding, but say so: some gateways compress unless told not to.
          headers: withAcceptEncoding(request.headers),
          body: request.body,
          signal,
        });
      } catch (error) {
        if (signal.aborted) throw abortedError(options.provider, signal.reason);
        throw upstreamError(error, context(false));
      }
      request.onResponse?.();
      let body: Readable = response.body;
      let headers: UpstreamResponse['headers'] = response.headers;
      const encoding = contentEncodingOf(headers);
      if (encoding !== undefined) {
        if (!canDecode(encoding)) {
          // Nobody reads this body: drop it and its connection (the abort error it emits goes nowhere).
          body.on('error', () => {}).destroy();
          throw unsupportedEncodingError(options.provider, encoding);
        }
        body = decodedBody(body, encoding);
        // What callers read is the decoded body: its encoding and length are no longer these.
        const { 'content-encoding': _encoding, 'content-length': _length, ...rest } = headers;
        headers = rest;
      }
      const reader = nodeBodyReader(body, {
        mapError: (error) =>
          signal.aborted
            ? abortedError(options.provider, signal.reason)
            : encoding !== undefined && isDecodeError(error)
              ? decodeError(options.provider, encoding, error)
              : upstreamError(error, context(true)),
        done: request.onEnd as BodyHooks['done'] | undefined,
      });
      return upstreamResponse(response.statusCode, headers, reader);
    },

    async close() {
      await pool.close();
    },
  };
}
