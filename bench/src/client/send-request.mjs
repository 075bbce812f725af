// One request, measured the way a user feels it: time from sending the request to the first content delta
// (TTFT), time to the end, bytes and reads off the socket, and whether the answer arrived intact (the exact
// expected text, and a proper end of stream in the client's dialect).
import { performance } from 'node:perf_hooks';
import { expectedText } from '../upstream/tokens.mjs';
import { requestFor } from './request-body.mjs';
import { SseCollector } from './sse-collector.mjs';

/**
 * @typedef {object} RequestResult
 * @property {boolean} intact  status 200, no error, complete, exact text
 * @property {number} status
 * @property {number} startedAt performance.now() when the request was sent
 * @property {number} ttftMs   first content delta (streams) or whole body (non-streamed), ms after sending
 * @property {number} totalMs
 * @property {number} bytes    response body bytes
 * @property {number} reads    body chunks handed to the client (one per socket read, roughly)
 * @property {number} events   SSE events (streams only)
 * @property {number} contentEvents SSE events that carried text
 * @property {string} [error]
 */

/**
 * @param {import('undici').Dispatcher} dispatcher
 * @param {string} origin
 * @param {{ dialect: string, model: string, stream: boolean, tokens: number, ttftMs?: number, gapMs?: number }} spec
 * @param {{ timeoutMs?: number, onFirstContent?: () => void }} [options]
 * @returns {Promise<RequestResult>}
 */
export async function sendRequest(dispatcher, origin, spec, options = {}) {
  const { timeoutMs = 60_000, onFirstContent } = options;
  const { path, headers, body } = requestFor(spec);
  const result = {
    intact: false,
    status: 0,
    startedAt: performance.now(),
    ttftMs: Number.NaN,
    totalMs: Number.NaN,
    bytes: 0,
    reads: 0,
    events: 0,
    contentEvents: 0,
  };
  const start = result.startedAt;
  let response;
  try {
    response = await dispatcher.request({
      origin,
      path,
      method: 'POST',
      headers,
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (error) {
    result.totalMs = performance.now() - start;
    result.error = describe(error);
    return result;
  }
  result.status = response.statusCode;
  const stream = response.body;
  const deadline = setTimeout(() => stream.destroy(new Error(`no end within ${timeoutMs} ms`)), timeoutMs);
  try {
    if (spec.stream && response.statusCode === 200) {
      const collector = new SseCollector(spec.dialect, () => {
        result.ttftMs = performance.now() - start;
        onFirstContent?.();
      });
      await consume(stream, (chunk) => {
        result.bytes += chunk.length;
        result.reads++;
        collector.push(chunk);
      });
      collector.end();
      result.totalMs = performance.now() - start;
      result.events = collector.events;
      result.contentEvents = collector.contentEvents;
      if (collector.error !== null) result.error = collector.error;
      else if (!collector.complete) result.error = 'stream ended without its final events';
      else if (collector.text !== expectedText(spec.tokens)) result.error = 'text differs from what was sent';
      else result.intact = true;
    } else {
      const chunks = [];
      await consume(stream, (chunk) => {
        result.bytes += chunk.length;
        result.reads++;
        chunks.push(chunk);
      });
      result.totalMs = performance.now() - start;
      result.ttftMs = result.totalMs;
      const text = Buffer.concat(chunks).toString();
      if (response.statusCode !== 200) result.error = `HTTP ${response.statusCode}: ${text.slice(0, 200)}`;
      else if (wholeText(spec.dialect, text) !== expectedText(spec.tokens)) result.error = 'text differs';
      else result.intact = true;
    }
  } catch (error) {
    result.totalMs = performance.now() - start;
    result.error = describe(error);
  } finally {
    clearTimeout(deadline);
  }
  return result;
}

function consume(stream, onChunk) {
  return new Promise((resolve, reject) => {
    stream.on('data', onChunk);
    stream.once('end', resolve);
    stream.once('error', reject);
  });
}

function wholeText(dialect, text) {
  try {
    const value = JSON.parse(text);
    if (dialect === 'openai') return value.choices?.[0]?.message?.content ?? null;
    return (value.content ?? [])
      .filter((block) => block.type === 'text')
      .map((block) => block.text)
      .join('');
  } catch {
    return null;
  }
}

function describe(error) {
  if (!(error instanceof Error)) return String(error);
  const code = /** @type {{ code?: string }} */ (error).code;
  return code ? `${code}: ${error.message}` : error.message;
}
