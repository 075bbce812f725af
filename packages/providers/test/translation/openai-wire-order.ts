/**
 * Checks a stream of client wire events against OpenAI's Chat Completions streaming order, as an explicit
 * state machine, and returns what a client would reassemble from it. Throws on the first violation.
 *
 *   role chunk            delta.role 'assistant' (first chunk only)
 *   delta chunks          content / refusal / reasoning_content / tool_calls; finish_reason null
 *                         tool calls numbered 0..n-1; id, type and name only in a call's first chunk
 *   finish chunk          empty delta, finish_reason set
 *   usage chunk           choices: [], usage (only when includeUsage)
 *   data: [DONE]
 *
 * An error is a chunk holding only `error`; nothing follows it (no [DONE]).
 * https://platform.openai.com/docs/api-reference/chat-streaming
 */
import type { WireEvent } from '@tokenpak/provider';

export interface OpenAIToolCallOut {
  index: number;
  id: string;
  name: string;
  arguments: string;
}

export interface OpenAIUsageOut {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

export interface OpenAITranscript {
  id: string;
  content: string;
  refusal: string;
  reasoning: string;
  toolCalls: OpenAIToolCallOut[];
  finishReason?: string;
  usage?: OpenAIUsageOut;
  error?: { message: string; type: string; param: unknown; code: unknown };
  /** One word per wire event, for readable assertions: role, content, tool_call, finish, usage, done… */
  kinds: string[];
}

type State = 'initial' | 'deltas' | 'finished' | 'usage-sent' | 'ended';

const FINISH_REASONS = new Set(['stop', 'length', 'tool_calls', 'content_filter']);
const DELTA_KEYS = new Set(['role', 'content', 'refusal', 'reasoning_content', 'tool_calls']);

export function checkOpenAIWire(
  events: WireEvent[],
  options: { includeUsage: boolean; model?: string },
): OpenAITranscript {
  let state: State = 'initial';
  const out: OpenAITranscript = {
    id: '',
    content: '',
    refusal: '',
    reasoning: '',
    toolCalls: [],
    kinds: [],
  };

  events.forEach((wire, position) => {
    const where = `event ${position} in state ${state}`;
    if (state === 'ended') throw new Error(`${where}: nothing may follow [DONE] or an error`);
    if (wire.event !== undefined) throw new Error(`${where}: OpenAI streams have no event names`);
    if (wire.data === '[DONE]') {
      if (!wire.sentinel) throw new Error(`${where}: [DONE] must be marked as a sentinel`);
      const ready = options.includeUsage ? state === 'usage-sent' : state === 'finished';
      if (!ready)
        throw new Error(`${where}: [DONE] before the finish${options.includeUsage ? ' and usage' : ''}`);
      out.kinds.push('done');
      state = 'ended';
      return;
    }
    let chunk: Record<string, any>;
    try {
      chunk = JSON.parse(wire.data);
    } catch {
      throw new Error(`${where}: data is not JSON: ${wire.data}`);
    }
    if (chunk.error !== undefined) {
      const keys = Object.keys(chunk);
      if (keys.length !== 1)
        throw new Error(`${where}: an error chunk holds only error, not ${keys.join(',')}`);
      const e = chunk.error;
      if (typeof e.message !== 'string' || typeof e.type !== 'string' || !('param' in e) || !('code' in e)) {
        throw new Error(`${where}: error must have message, type, param and code`);
      }
      out.error = e;
      out.kinds.push('error');
      state = 'ended';
      return;
    }
    if (chunk.object !== 'chat.completion.chunk') throw new Error(`${where}: object is ${chunk.object}`);
    if (typeof chunk.id !== 'string' || !chunk.id.startsWith('chatcmpl-')) {
      throw new Error(`${where}: id must be chatcmpl-…`);
    }
    if (out.id === '') out.id = chunk.id;
    else if (chunk.id !== out.id) throw new Error(`${where}: the id changed within the stream`);
    if (typeof chunk.created !== 'number') throw new Error(`${where}: created must be a number`);
    if (options.model !== undefined && chunk.model !== options.model) {
      throw new Error(`${where}: model '${chunk.model}' is not the alias '${options.model}'`);
    }

    if (Array.isArray(chunk.choices) && chunk.choices.length === 0) {
      if (state !== 'finished' || !options.includeUsage) {
        throw new Error(
          `${where}: a choices: [] usage chunk is only sent after the finish, with include_usage`,
        );
      }
      const u = chunk.usage as OpenAIUsageOut | undefined;
      if (!u || typeof u.prompt_tokens !== 'number' || typeof u.completion_tokens !== 'number') {
        throw new Error(`${where}: the usage chunk needs prompt_tokens and completion_tokens`);
      }
      if (u.total_tokens !== u.prompt_tokens + u.completion_tokens) {
        throw new Error(`${where}: total_tokens is not prompt + completion`);
      }
      out.usage = u;
      out.kinds.push('usage');
      state = 'usage-sent';
      return;
    }
    if (chunk.usage !== undefined && chunk.usage !== null) {
      throw new Error(`${where}: usage belongs in its own choices: [] chunk`);
    }
    if (!Array.isArray(chunk.choices) || chunk.choices.length !== 1 || chunk.choices[0].index !== 0) {
      throw new Error(`${where}: expected exactly one choice with index 0`);
    }
    const choice = chunk.choices[0];
    const delta = choice.delta as Record<string, any> | undefined;
    if (!delta || typeof delta !== 'object') throw new Error(`${where}: the choice has no delta`);
    for (const key of Object.keys(delta)) {
      if (!DELTA_KEYS.has(key)) throw new Error(`${where}: unexpected delta key ${key}`);
    }

    if (state === 'initial') {
      if (delta.role !== 'assistant')
        throw new Error(`${where}: the first chunk must carry role 'assistant'`);
      if (choice.finish_reason !== null) throw new Error(`${where}: the role chunk has no finish_reason`);
      out.kinds.push('role');
      state = 'deltas';
      if (typeof delta.content === 'string') out.content += delta.content;
      if (delta.tool_calls !== undefined) throw new Error(`${where}: the role chunk carries no tool calls`);
      return;
    }
    if (state !== 'deltas') throw new Error(`${where}: a choice chunk after the finish`);
    if ('role' in delta) throw new Error(`${where}: role is sent only in the first chunk`);

    if (choice.finish_reason !== null) {
      if (!FINISH_REASONS.has(choice.finish_reason)) {
        throw new Error(`${where}: finish_reason '${choice.finish_reason}' is not documented`);
      }
      if (Object.keys(delta).length !== 0) throw new Error(`${where}: the finish chunk has an empty delta`);
      for (const call of out.toolCalls) {
        try {
          JSON.parse(call.arguments);
        } catch {
          throw new Error(`${where}: tool call ${call.index} arguments are not JSON: ${call.arguments}`);
        }
      }
      out.finishReason = choice.finish_reason;
      out.kinds.push('finish');
      state = 'finished';
      return;
    }

    const present = Object.keys(delta);
    if (present.length !== 1)
      throw new Error(`${where}: one kind of delta per chunk, got ${present.join(',')}`);
    if (typeof delta.content === 'string') {
      out.content += delta.content;
      out.kinds.push('content');
    } else if (typeof delta.refusal === 'string') {
      out.refusal += delta.refusal;
      out.kinds.push('refusal');
    } else if (typeof delta.reasoning_content === 'string') {
      out.reasoning += delta.reasoning_content;
      out.kinds.push('reasoning');
    } else if (Array.isArray(delta.tool_calls) && delta.tool_calls.length === 1) {
      const call = delta.tool_calls[0];
      const fn = call.function ?? {};
      if (typeof fn.arguments !== 'string') throw new Error(`${where}: function.arguments must be a string`);
      if (call.index === out.toolCalls.length) {
        if (typeof call.id !== 'string' || call.id === '' || call.type !== 'function') {
          throw new Error(`${where}: a call's first chunk has its id and type 'function'`);
        }
        if (typeof fn.name !== 'string' || fn.name === '')
          throw new Error(`${where}: a call's first chunk names it`);
        out.toolCalls.push({ index: call.index, id: call.id, name: fn.name, arguments: fn.arguments });
        out.kinds.push('tool_call');
      } else if (Number.isInteger(call.index) && call.index >= 0 && call.index < out.toolCalls.length) {
        if ('id' in call || 'type' in call || 'name' in fn) {
          throw new Error(`${where}: id, type and name belong only in a call's first chunk`);
        }
        out.toolCalls[call.index]!.arguments += fn.arguments;
        out.kinds.push('arguments');
      } else {
        throw new Error(`${where}: tool call index ${call.index}, expected 0..${out.toolCalls.length}`);
      }
    } else {
      throw new Error(`${where}: an empty or malformed delta: ${JSON.stringify(delta)}`);
    }
  });
  // (A cast: TypeScript does not see the assignments inside the forEach callback.)
  if ((state as State) !== 'ended')
    throw new Error(`the stream stopped in state ${state}, before [DONE] or an error`);
  return out;
}
