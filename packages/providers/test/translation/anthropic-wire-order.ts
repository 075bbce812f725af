/**
 * Checks a stream of client wire events against Anthropic's documented event order, as an explicit state
 * machine, and returns what a client would reassemble from it. Throws on the first violation.
 *
 *   message_start
 *   (content_block_start, content_block_delta*, content_block_stop)*   blocks never interleave, index 0, 1, …
 *   message_delta (stop_reason, usage)
 *   message_stop
 *
 * `ping` may come at any point before the end. `error` may come at any point and ends the stream.
 * https://docs.anthropic.com/en/api/messages-streaming
 */
import type { WireEvent } from '@tokenpak/provider';

export type AnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

export interface AnthropicUsageOut {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

export interface AnthropicTranscript {
  id: string;
  model: string;
  startUsage: AnthropicUsageOut;
  blocks: AnthropicBlock[];
  stopReason?: string;
  stopSequence?: string | null;
  usage?: AnthropicUsageOut;
  error?: { type: string; message: string };
  /** The event names in order, for readable assertions. */
  names: string[];
}

type State = 'initial' | 'between-blocks' | 'in-block' | 'after-message-delta' | 'ended';

const STOP_REASONS = new Set([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
]);

/** Which delta types each block type may receive. */
const DELTAS: Record<string, ReadonlySet<string>> = {
  text: new Set(['text_delta', 'citations_delta']),
  thinking: new Set(['thinking_delta', 'signature_delta']),
  redacted_thinking: new Set(),
  tool_use: new Set(['input_json_delta']),
};

function checkUsage(value: unknown, where: string): AnthropicUsageOut {
  const usage = value as AnthropicUsageOut | undefined;
  if (!usage || typeof usage.input_tokens !== 'number' || typeof usage.output_tokens !== 'number') {
    throw new Error(`${where}: usage must have numeric input_tokens and output_tokens`);
  }
  return usage;
}

export function checkAnthropicWire(
  events: WireEvent[],
  options: { model?: string } = {},
): AnthropicTranscript {
  let state: State = 'initial';
  let nextIndex = 0;
  let open: { index: number; block: AnthropicBlock; json: string } | undefined;
  const out: AnthropicTranscript = {
    id: '',
    model: '',
    startUsage: { input_tokens: 0, output_tokens: 0 },
    blocks: [],
    names: [],
  };

  events.forEach((wire, position) => {
    let data: Record<string, any>;
    try {
      data = JSON.parse(wire.data);
    } catch {
      throw new Error(`event ${position}: data is not JSON: ${wire.data}`);
    }
    const type = data.type as string;
    const where = `event ${position} (${type}) in state ${state}`;
    if (wire.event !== type) throw new Error(`${where}: SSE event name '${wire.event}' differs from type`);
    if (wire.sentinel) throw new Error(`${where}: Anthropic streams have no sentinel`);
    if (state === 'ended') throw new Error(`${where}: nothing may follow message_stop or error`);
    out.names.push(type);

    if (type === 'error') {
      if (typeof data.error?.type !== 'string' || typeof data.error?.message !== 'string') {
        throw new Error(`${where}: error must be { type: 'error', error: { type, message } }`);
      }
      out.error = { type: data.error.type, message: data.error.message };
      state = 'ended';
      return;
    }
    if (type === 'ping') return;

    switch (state) {
      case 'initial': {
        if (type !== 'message_start') throw new Error(`${where}: the stream must open with message_start`);
        const m = data.message;
        if (m?.type !== 'message' || m.role !== 'assistant')
          throw new Error(`${where}: not an assistant message`);
        if (typeof m.id !== 'string' || !m.id.startsWith('msg_'))
          throw new Error(`${where}: id must be msg_…`);
        if (!Array.isArray(m.content) || m.content.length !== 0)
          throw new Error(`${where}: content must be []`);
        if (m.stop_reason !== null) throw new Error(`${where}: stop_reason must be null at the start`);
        if (options.model !== undefined && m.model !== options.model) {
          throw new Error(`${where}: model '${m.model}' is not the alias '${options.model}'`);
        }
        out.id = m.id;
        out.model = m.model;
        out.startUsage = checkUsage(m.usage, where);
        state = 'between-blocks';
        return;
      }
      case 'between-blocks': {
        if (type === 'content_block_start') {
          if (data.index !== nextIndex)
            throw new Error(`${where}: index ${data.index}, expected ${nextIndex}`);
          const cb = data.content_block ?? {};
          let block: AnthropicBlock;
          if (cb.type === 'text' && cb.text === '') block = { type: 'text', text: '' };
          else if (cb.type === 'thinking' && cb.thinking === '' && typeof cb.signature === 'string') {
            block = { type: 'thinking', thinking: '', signature: cb.signature };
          } else if (cb.type === 'redacted_thinking' && typeof cb.data === 'string') {
            block = { type: 'redacted_thinking', data: cb.data };
          } else if (
            cb.type === 'tool_use' &&
            typeof cb.id === 'string' &&
            cb.id !== '' &&
            typeof cb.name === 'string' &&
            cb.name !== '' &&
            JSON.stringify(cb.input) === '{}'
          ) {
            block = { type: 'tool_use', id: cb.id, name: cb.name, input: {} };
          } else throw new Error(`${where}: not a well-formed empty content block: ${JSON.stringify(cb)}`);
          open = { index: nextIndex++, block, json: '' };
          out.blocks.push(block);
          state = 'in-block';
          return;
        }
        if (type === 'message_delta') {
          const reason = data.delta?.stop_reason;
          if (!STOP_REASONS.has(reason))
            throw new Error(`${where}: stop_reason '${reason}' is not documented`);
          const sequence = data.delta?.stop_sequence;
          if (sequence !== null && typeof sequence !== 'string')
            throw new Error(`${where}: bad stop_sequence`);
          if ((reason === 'stop_sequence') !== (typeof sequence === 'string')) {
            throw new Error(`${where}: stop_sequence must be set exactly when stop_reason is stop_sequence`);
          }
          out.stopReason = reason;
          out.stopSequence = sequence;
          out.usage = checkUsage(data.usage, where);
          state = 'after-message-delta';
          return;
        }
        throw new Error(`${where}: expected content_block_start or message_delta`);
      }
      case 'in-block': {
        const current = open!;
        if (type !== 'content_block_delta' && type !== 'content_block_stop') {
          throw new Error(
            `${where}: expected content_block_delta or content_block_stop of block ${current.index}`,
          );
        }
        if (data.index !== current.index) {
          throw new Error(`${where}: index ${data.index} while block ${current.index} is open (interleaved)`);
        }
        if (type === 'content_block_delta') {
          const d = data.delta ?? {};
          if (!DELTAS[current.block.type]!.has(d.type)) {
            throw new Error(`${where}: ${d.type} in a ${current.block.type} block`);
          }
          const block = current.block;
          if (d.type === 'text_delta' && block.type === 'text') block.text += d.text;
          else if (d.type === 'thinking_delta' && block.type === 'thinking') block.thinking += d.thinking;
          else if (d.type === 'signature_delta' && block.type === 'thinking') block.signature += d.signature;
          else if (d.type === 'input_json_delta') current.json += d.partial_json;
          return;
        }
        // content_block_stop: a tool's input must now be a complete JSON object.
        if (current.block.type === 'tool_use') {
          let input: unknown;
          try {
            input = current.json === '' ? {} : JSON.parse(current.json);
          } catch {
            throw new Error(`${where}: tool input is not JSON: ${current.json}`);
          }
          if (input === null || typeof input !== 'object' || Array.isArray(input)) {
            throw new Error(`${where}: tool input must be a JSON object`);
          }
          current.block.input = input;
        }
        open = undefined;
        state = 'between-blocks';
        return;
      }
      case 'after-message-delta':
        if (type !== 'message_stop') throw new Error(`${where}: expected message_stop`);
        state = 'ended';
        return;
    }
  });
  // (A cast: TypeScript does not see the assignments inside the forEach callback.)
  if ((state as State) !== 'ended') {
    throw new Error(`the stream stopped in state ${state}, before message_stop or error`);
  }
  return out;
}
