// A fake echo upstream for tests, built with @tokenpak/provider-utils/test (startFakeUpstream, as its answer
// is computed from each request; a recorded answer is startFixtureUpstream's job): answers
// `POST …/models/{model}:streamGenerateContent?alt=sse` with SSE chunks (one word each, in random small
// network chunks) and `…:generateContent` with one JSON body. The answer is the system instruction, then the
// last user message, cut to generationConfig.maxOutputTokens words (finishReason MAX_TOKENS) or whole (STOP).
import { replay, startFakeUpstream } from '@tokenpak/provider-utils/test';

const words = (text) => text.split(/\s+/).filter(Boolean);

export function echoAnswer(body) {
  const request = JSON.parse(body);
  const system = (request.systemInstruction?.parts ?? []).map((p) => p.text).join(' ');
  const last = request.contents.filter((c) => c.role === 'user').at(-1);
  const input = words((last?.parts ?? []).map((p) => p.text).join(' '));
  const all = [...words(system), ...input];
  const max = request.generationConfig?.maxOutputTokens ?? Number.POSITIVE_INFINITY;
  const out = all.slice(0, max);
  return {
    words: out,
    finishReason: out.length < all.length ? 'MAX_TOKENS' : 'STOP',
    usageMetadata: { promptTokenCount: input.length, candidatesTokenCount: out.length },
  };
}

export function startEchoUpstream(options = {}) {
  return startFakeUpstream(async (request, res) => {
    if (options.apiKey && request.headers['x-goog-api-key'] !== options.apiKey) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'API key not valid' } }));
      return;
    }
    const match = /\/models\/([^/:]+):(streamGenerateContent\?alt=sse|generateContent)$/.exec(request.url);
    if (!match) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${request.url}` } }));
      return;
    }
    const model = decodeURIComponent(match[1]);
    const answer = echoAnswer(request.body);
    if (match[2] === 'generateContent') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          responseId: 'echo-1',
          modelVersion: model,
          candidates: [
            {
              content: { role: 'model', parts: [{ text: answer.words.join(' ') }] },
              finishReason: answer.finishReason,
            },
          ],
          usageMetadata: answer.usageMetadata,
        }),
      );
      return;
    }
    const chunks = answer.words.map((word, i) => ({
      responseId: 'echo-1',
      modelVersion: model,
      candidates: [
        {
          content: { role: 'model', parts: [{ text: i === 0 ? word : ` ${word}` }] },
          ...(i === answer.words.length - 1 && { finishReason: answer.finishReason }),
        },
      ],
      ...(i === answer.words.length - 1 && { usageMetadata: answer.usageMetadata }),
    }));
    if (chunks.length === 0) {
      chunks.push({
        candidates: [{ content: { parts: [] }, finishReason: answer.finishReason }],
        usageMetadata: answer.usageMetadata,
      });
    }
    const sse = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`).join('');
    await replay(res, sse, {
      mode: { split: { seed: 42, maxChunk: 16, maxDelayMs: 2 }, lineEndings: 'as-recorded' },
    });
  });
}
