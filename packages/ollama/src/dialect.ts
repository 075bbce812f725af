/**
 * Ollama's native chat wire, as an upstream dialect (TokenPak never serves it to clients): `buildRequest`,
 * `createStreamDecoder` over NDJSON values (one parsed line per push), `parseResponse`, `parseError`.
 */
import type { UpstreamDialect } from '@tokenpak/provider';
import { buildRequest } from './build-request.ts';
import { createStreamDecoder } from './decode-stream.ts';
import { parseError } from './errors.ts';
import { parseResponse } from './parse-response.ts';

export const OLLAMA_DIALECT = 'ollama';

export const ollamaChat: UpstreamDialect<unknown> = Object.freeze({
  name: OLLAMA_DIALECT,
  framing: 'ndjson',
  buildRequest,
  createStreamDecoder,
  parseResponse,
  parseError,
});
