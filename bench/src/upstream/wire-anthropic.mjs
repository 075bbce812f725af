// Anthropic Messages wire format, pre-encoded once per model (see wire-openai.mjs for why).
import { expectedText, VOCABULARY } from './tokens.mjs';

function event(name, json) {
  return Buffer.from(`event: ${name}\ndata: ${json}\n\n`);
}

const perModel = new Map();

/** Pre-encoded pieces of a streamed response for one model name. */
export function anthropicStreamPieces(model) {
  let pieces = perModel.get(model);
  if (pieces) return pieces;
  pieces = {
    head: Buffer.concat([
      event(
        'message_start',
        `{"type":"message_start","message":{"id":"msg_bench","type":"message","role":"assistant","model":${JSON.stringify(model)},"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}`,
      ),
      event(
        'content_block_start',
        '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
      ),
    ]),
    deltas: VOCABULARY.map((word) =>
      event(
        'content_block_delta',
        `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(word)}}}`,
      ),
    ),
  };
  perModel.set(model, pieces);
  return pieces;
}

/** Everything after the last text delta: block stop, stop reason with usage, message stop. */
export function anthropicTail(tokens) {
  return Buffer.concat([
    event('content_block_stop', '{"type":"content_block_stop","index":0}'),
    event(
      'message_delta',
      `{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":${tokens}}}`,
    ),
    event('message_stop', '{"type":"message_stop"}'),
  ]);
}

/** A non-streamed message body. */
export function anthropicMessageBody(model, tokens) {
  return Buffer.from(
    JSON.stringify({
      id: 'msg_bench',
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: expectedText(tokens) }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: tokens },
    }),
  );
}
