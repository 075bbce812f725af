/**
 * Canonical events → `chat.completion.chunk` events, as OpenAI streams them and the `openai` SDK reads them.
 * https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 *
 *   data: {…"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}
 *   data: {…"delta":{"content":"Hel"}…}                      text
 *   data: {…"delta":{"reasoning_content":"…"}…}              reasoning (DeepSeek's field; OpenAI has none)
 *   data: {…"delta":{"refusal":"…"}…}                        refusal
 *   data: {…"delta":{"tool_calls":[{"index":0,"id":"call_…","type":"function","function":{"name":"f","arguments":""}}]}…}
 *   data: {…"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\""}}]}…}
 *   data: {…"delta":{},"logprobs":null,"finish_reason":"stop"}]}
 *   data: {…"choices":[],"usage":{…}}                        only when the client asked for include_usage
 *   data: [DONE]
 *
 * Tool calls are numbered 0, 1, … in the order they start (not by canonical block index); a call that
 * got no argument text (Anthropic tools without input) gets `{}` when its block stops. Redacted
 * reasoning and reasoning signatures have no OpenAI form and are left out. An `error` event becomes a chunk
 * holding only `error` (the SDK throws on it), with no `[DONE]` after it.
 *
 * Hot path: every chunk is a precomputed prefix + JSON.stringify(the delta text) + a constant suffix.
 */

import type { EncodeStreamOptions, StreamEvent, WireEvent } from '@tokenpak/provider';
import {
  type Emit,
  mergeUsage,
  ProviderError,
  type StreamStage,
  stageToTransformStream,
  type Usage,
} from '@tokenpak/provider';
import { encodeErrorEvent } from './errors.ts';
import { toOpenAIFinishReason } from './map-finish-reason.ts';
import { usageToOpenAI } from './map-usage.ts';
import { mintCompletionId } from './mint-id.ts';

const TEXT = 1;
const REFUSAL = 2;
const REASONING = 3;
const TOOL = 4;

const DONE: WireEvent = Object.freeze({ data: '[DONE]', sentinel: true });
const DELTA_END = '},"logprobs":null,"finish_reason":null}]}';

/** The encoder as a synchronous stage: one canonical event in, wire events out. */
export function createStreamEncoder(options: EncodeStreamOptions): StreamStage<StreamEvent, WireEvent> {
  const id = options.id ?? mintCompletionId();
  const created = Math.floor(Date.now() / 1000);
  const envelope = `{"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(options.model)},"choices":`;
  const deltaStart = `${envelope}[{"index":0,"delta":`;
  const contentStart = `${deltaStart}{"content":`;
  const refusalStart = `${deltaStart}{"refusal":`;
  const reasoningStart = `${deltaStart}{"reasoning_content":`;
  /** Per tool call: the chunk text before its arguments fragment. */
  const argumentsStart: string[] = [];
  /** Canonical block index → kind; for tool calls also → their OpenAI index. */
  const kinds: number[] = [];
  const toolIndex: number[] = [];
  /** Per tool call: whether any arguments were sent (a call without any gets `{}`, valid JSON). */
  const argumentsSent: boolean[] = [];
  let tools = 0;
  let started = false;
  let ended = false;
  let usage: Usage = {};

  function role(emit: Emit<WireEvent>): void {
    if (started) return;
    started = true;
    emit({ data: `${deltaStart}{"role":"assistant","content":""${DELTA_END}` });
  }

  return {
    push(event, emit) {
      if (ended) return;
      switch (event.type) {
        case 'text-delta': {
          if (event.text.length === 0) return;
          const kind = kinds[event.index];
          const start = kind === REFUSAL ? refusalStart : kind === REASONING ? reasoningStart : contentStart;
          role(emit);
          emit({ data: start + JSON.stringify(event.text) + DELTA_END });
          return;
        }
        case 'reasoning-delta':
          if (event.text.length === 0) return;
          role(emit);
          emit({ data: reasoningStart + JSON.stringify(event.text) + DELTA_END });
          return;
        case 'tool-call-delta': {
          if (event.argumentsDelta.length === 0) return;
          const k = toolIndex[event.index];
          if (k === undefined) return;
          argumentsSent[k] = true;
          emit({
            data: argumentsStart[k] + JSON.stringify(event.argumentsDelta) + '}}]' + DELTA_END,
          });
          return;
        }
        case 'message-start':
          if (event.usage) usage = mergeUsage(usage, event.usage);
          role(emit);
          return;
        case 'block-stop': {
          const k = toolIndex[event.index];
          if (k !== undefined && !argumentsSent[k]) {
            argumentsSent[k] = true;
            emit({ data: `${argumentsStart[k]}"{}"}}]${DELTA_END}` });
          }
          return;
        }
        case 'block-start': {
          const block = event.block;
          if (block.type === 'tool-call') {
            const k = tools++;
            kinds[event.index] = TOOL;
            toolIndex[event.index] = k;
            argumentsSent[k] = false;
            argumentsStart[k] = `${deltaStart}{"tool_calls":[{"index":${k},"function":{"arguments":`;
            role(emit);
            const call = `{"index":${k},"id":${JSON.stringify(block.id)},"type":"function","function":{"name":${JSON.stringify(block.name)},"arguments":""}}`;
            emit({ data: `${deltaStart}{"tool_calls":[${call}]${DELTA_END}` });
          } else {
            kinds[event.index] =
              block.type === 'refusal' ? REFUSAL : block.type === 'text' ? TEXT : REASONING;
          }
          return;
        }
        case 'usage':
          usage = mergeUsage(usage, event.usage);
          return;
        case 'finish': {
          role(emit);
          ended = true;
          const reason = toOpenAIFinishReason(event.reason);
          emit({
            data: `${deltaStart}{},"logprobs":null,"finish_reason":"${reason}"}]}`,
          });
          if (options.includeUsage) {
            const totals = usageToOpenAI(mergeUsage(usage, event.usage));
            emit({ data: `${envelope}[],"usage":${JSON.stringify(totals)}}` });
          }
          emit(DONE);
          return;
        }
        case 'error':
          ended = true;
          emit(encodeErrorEvent(event.error));
          return;
        case 'raw':
          // An OpenAI event this proxy does not know: an OpenAI client gets it as it came.
          if (event.dialect === 'openai-chat') {
            emit(event.event === undefined ? { data: event.data } : { event: event.event, data: event.data });
          }
          return;
        default:
          // reasoning-signature has no OpenAI form.
          return;
      }
    },
    end(emit) {
      if (ended) return;
      const error = new ProviderError({
        type: 'network',
        message: 'the upstream stream ended before it finished',
      });
      emit(encodeErrorEvent(error));
    },
  };
}

export function encodeStream(options: EncodeStreamOptions): TransformStream<StreamEvent, WireEvent> {
  return stageToTransformStream(createStreamEncoder(options));
}
