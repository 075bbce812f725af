// OpenAI Chat Completions wire format, pre-encoded: every chunk the fake upstream can send is built once per
// model and reused as a Buffer, so the upstream spends its time writing, not encoding.
import { expectedText, VOCABULARY } from './tokens.mjs';

const CREATED = 1_700_000_000;

function chunk(model, choicesJson, extra = '') {
  return Buffer.from(
    `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":${CREATED},"model":${JSON.stringify(model)},"choices":${choicesJson}${extra}}\n\n`,
  );
}

const perModel = new Map();

/** Pre-encoded pieces of a streamed response for one model name. */
export function openaiStreamPieces(model) {
  let pieces = perModel.get(model);
  if (pieces) return pieces;
  pieces = {
    head: chunk(model, '[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]'),
    deltas: VOCABULARY.map((word) =>
      chunk(model, `[{"index":0,"delta":{"content":${JSON.stringify(word)}},"finish_reason":null}]`),
    ),
    finish: chunk(model, '[{"index":0,"delta":{},"finish_reason":"stop"}]'),
    done: Buffer.from('data: [DONE]\n\n'),
  };
  perModel.set(model, pieces);
  return pieces;
}

/** The chunk that carries usage (sent when the request asked for `stream_options.include_usage`). */
export function openaiUsageChunk(model, tokens) {
  return chunk(
    model,
    '[]',
    `,"usage":{"prompt_tokens":12,"completion_tokens":${tokens},"total_tokens":${12 + tokens}}`,
  );
}

/** A non-streamed chat.completion body. */
export function openaiCompletionBody(model, tokens) {
  return Buffer.from(
    JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created: CREATED,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: expectedText(tokens), refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: tokens, total_tokens: 12 + tokens },
    }),
  );
}
