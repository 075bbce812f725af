/**
 * The canonical stream: every upstream stream decodes into these events, every client encoder reads them.
 *
 * Shape of a well-formed stream:
 *   message-start, (block-start, delta*, block-stop)*, usage*, (finish | error)
 * Blocks are numbered in the order they start (a decoder may skip numbers of upstream blocks it cannot carry);
 * several may be open at once (OpenAI parallel tool calls). A stream that fails mid-way ends with an `error`
 * event instead of `finish`. `raw` events (upstream events with no canonical meaning) may come anywhere before
 * the end.
 */
import type { ProviderError } from './errors.ts';
import type { FinishReason } from './finish-reason.ts';
import type { Usage } from './usage.ts';

export type BlockInfo =
  | { type: 'text' }
  /** OpenAI `delta.refusal`: text the model produced instead of an answer. */
  | { type: 'refusal' }
  | { type: 'reasoning'; signature?: string }
  | { type: 'redacted-reasoning'; data: string }
  | { type: 'tool-call'; id: string; name: string };

export interface MessageStartEvent {
  type: 'message-start';
  /** Upstream message id (e.g. `chatcmpl-…`, `msg_…`); encoders may mint their own. */
  id: string;
  /** Upstream model id as reported by the provider. */
  model: string;
  usage?: Usage;
}

export interface BlockStartEvent {
  type: 'block-start';
  index: number;
  block: BlockInfo;
}

export interface TextDeltaEvent {
  type: 'text-delta';
  index: number;
  text: string;
}

export interface ReasoningDeltaEvent {
  type: 'reasoning-delta';
  index: number;
  text: string;
}

/** Anthropic's `signature_delta` for a reasoning block. */
export interface ReasoningSignatureEvent {
  type: 'reasoning-signature';
  index: number;
  signature: string;
}

/** A fragment of a tool call's JSON arguments; the concatenation of all fragments is the arguments text. */
export interface ToolCallDeltaEvent {
  type: 'tool-call-delta';
  index: number;
  argumentsDelta: string;
}

export interface BlockStopEvent {
  type: 'block-stop';
  index: number;
}

/** Usage figures as they become known; later values override earlier ones field by field. */
export interface UsageEvent {
  type: 'usage';
  usage: Usage;
}

export interface FinishEvent {
  type: 'finish';
  reason: FinishReason;
  /** The stop sequence that matched, when reason is 'stop-sequence'. */
  stopSequence?: string;
  /** Final totals (merged from every usage event seen before). */
  usage: Usage;
}

export interface ErrorEvent {
  type: 'error';
  error: ProviderError;
}

/**
 * An upstream event this proxy has no canonical meaning for (an event type added after the dialect was
 * written): kept so that a client of the same dialect receives it as it came. Other encoders ignore it.
 */
export interface RawEvent {
  type: 'raw';
  /** The dialect the event is written in. */
  dialect: string;
  /** SSE `event:` name, if any. */
  event?: string;
  /** The event's data, as received. */
  data: string;
}

export type StreamEvent =
  | RawEvent
  | MessageStartEvent
  | BlockStartEvent
  | TextDeltaEvent
  | ReasoningDeltaEvent
  | ReasoningSignatureEvent
  | ToolCallDeltaEvent
  | BlockStopEvent
  | UsageEvent
  | FinishEvent
  | ErrorEvent;

export type DeltaEvent = TextDeltaEvent | ReasoningDeltaEvent | ToolCallDeltaEvent;

/** True for the events a coalescer may merge: deltas of one block, concatenated. */
export function isDelta(event: StreamEvent): event is DeltaEvent {
  return event.type === 'text-delta' || event.type === 'reasoning-delta' || event.type === 'tool-call-delta';
}

/** Merges two deltas of the same type and block, or returns undefined when they cannot be merged. */
export function mergeDeltas(a: DeltaEvent, b: DeltaEvent): DeltaEvent | undefined {
  if (a.type !== b.type || a.index !== b.index) return undefined;
  if (a.type === 'tool-call-delta') {
    return {
      type: a.type,
      index: a.index,
      argumentsDelta: a.argumentsDelta + (b as ToolCallDeltaEvent).argumentsDelta,
    };
  }
  return { type: a.type, index: a.index, text: a.text + (b as TextDeltaEvent).text } as DeltaEvent;
}
