/**
 * Independent readers of the recorded upstream streams (no code from src/): what the provider said, to
 * compare with what the translated stream tells the client. Lenient on purpose: real streams carry extras.
 */

interface RawEvent {
  event?: string;
  data: string;
}

/** Splits SSE text into events (LF or CRLF), joining multi-line data. */
function sseEvents(text: string): RawEvent[] {
  const out: RawEvent[] = [];
  for (const block of text.replaceAll('\r\n', '\n').split(/\n\n+/)) {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0) out.push({ event, data: data.join('\n') });
  }
  return out;
}

export interface OpenAISource {
  text: string;
  refusal: string;
  reasoning: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number; cached?: number };
  error?: { message: string; type?: string; code?: string };
  done: boolean;
}

/** Choice 0 of a Chat Completions stream, as a reader of the wire sees it. */
export function readOpenAISource(text: string): OpenAISource {
  const out: OpenAISource = { text: '', refusal: '', reasoning: '', toolCalls: [], done: false };
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  for (const { data } of sseEvents(text)) {
    if (data === '[DONE]') {
      out.done = true;
      continue;
    }
    const value = JSON.parse(data);
    if (value.error) {
      out.error = value.error;
      break;
    }
    for (const choice of value.choices ?? []) {
      if ((choice.index ?? 0) !== 0) continue;
      const delta = choice.delta ?? {};
      if (typeof delta.content === 'string') out.text += delta.content;
      if (typeof delta.refusal === 'string') out.refusal += delta.refusal;
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === 'string') out.reasoning += reasoning;
      for (const call of delta.tool_calls ?? []) {
        const known = calls.get(call.index) ?? { id: '', name: '', arguments: '' };
        calls.set(call.index, known);
        if (call.id) known.id = call.id;
        if (call.function?.name) known.name = call.function.name;
        if (typeof call.function?.arguments === 'string') known.arguments += call.function.arguments;
      }
      if (choice.finish_reason) out.finishReason = choice.finish_reason;
    }
    if (value.usage) {
      out.usage = {
        prompt_tokens: value.usage.prompt_tokens,
        completion_tokens: value.usage.completion_tokens,
        ...(value.usage.prompt_tokens_details?.cached_tokens !== undefined && {
          cached: value.usage.prompt_tokens_details.cached_tokens,
        }),
      };
    }
  }
  out.toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  return out;
}

export type AnthropicSourceBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

export interface AnthropicSource {
  id: string;
  blocks: AnthropicSourceBlock[];
  stopReason?: string;
  stopSequence?: string | null;
  usage: {
    input_tokens?: number;
    output_tokens?: number;
    cache_read_input_tokens?: number;
    cache_creation_input_tokens?: number;
  };
  error?: { type: string; message: string };
  stopped: boolean;
}

/** An Anthropic Messages stream, as a reader of the wire sees it (blocks in index order). */
export function readAnthropicSource(text: string): AnthropicSource {
  const out: AnthropicSource = { id: '', blocks: [], usage: {}, stopped: false };
  const byIndex = new Map<number, { block: Record<string, unknown>; json: string }>();
  const absorb = (usage: Record<string, unknown> | undefined) => {
    for (const key of [
      'input_tokens',
      'output_tokens',
      'cache_read_input_tokens',
      'cache_creation_input_tokens',
    ] as const) {
      if (typeof usage?.[key] === 'number') out.usage[key] = usage[key] as number;
    }
  };
  for (const { data } of sseEvents(text)) {
    const value = JSON.parse(data);
    switch (value.type) {
      case 'message_start':
        out.id = value.message.id;
        absorb(value.message.usage);
        break;
      case 'content_block_start':
        byIndex.set(value.index, { block: { ...value.content_block }, json: '' });
        break;
      case 'content_block_delta': {
        const entry = byIndex.get(value.index)!;
        const d = value.delta;
        if (d.type === 'text_delta') entry.block.text = `${entry.block.text}${d.text}`;
        else if (d.type === 'thinking_delta') entry.block.thinking = `${entry.block.thinking}${d.thinking}`;
        else if (d.type === 'signature_delta')
          entry.block.signature = `${entry.block.signature}${d.signature}`;
        else if (d.type === 'input_json_delta') entry.json += d.partial_json;
        break;
      }
      case 'message_delta':
        out.stopReason = value.delta.stop_reason;
        out.stopSequence = value.delta.stop_sequence;
        absorb(value.usage);
        break;
      case 'message_stop':
        out.stopped = true;
        break;
      case 'error':
        out.error = value.error;
        break;
    }
  }
  out.blocks = [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, { block, json }]) => {
      if (block.type === 'tool_use') {
        return {
          type: 'tool_use',
          id: block.id as string,
          name: block.name as string,
          input: json ? JSON.parse(json) : block.input,
        };
      }
      if (block.type === 'thinking') {
        return {
          type: 'thinking',
          thinking: block.thinking as string,
          signature: block.signature as string,
        };
      }
      if (block.type === 'redacted_thinking')
        return { type: 'redacted_thinking', data: block.data as string };
      return { type: 'text', text: block.text as string };
    });
  return out;
}
