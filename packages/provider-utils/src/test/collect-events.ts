/**
 * Reads a provider's canonical stream to an array and sums it up as a user would see it: text per block,
 * tool calls with parsed arguments, reasoning, finish reason, usage, error. The aggregation is the runtime's
 * own (`collectResponse`), fed the events up to the error when the stream failed, so a test sees the partial
 * content too. The summary is plain data: compare two of them with `toEqual`.
 */
import type { BlockInfo, FinishReason, OutputBlock, StreamEvent, Usage } from '@tokenpak/provider';
import { collectResponse } from '../stream/collect-response.ts';
import { readAll } from './call-context.ts';

export type SummaryBlock = OutputBlock & { index: number };

export interface ToolCallSummary {
  index: number;
  id: string;
  name: string;
  /** The arguments text as streamed (all fragments joined). */
  arguments: string;
  /** The arguments parsed as JSON; undefined when they are not JSON (see `argumentsError`). */
  input: unknown;
  argumentsError?: string;
}

export interface ErrorSummary {
  type: string;
  message: string;
  status: number;
  retryable: boolean;
  code?: string;
  provider?: string;
}

export interface EventSummary {
  /** From message-start ('' without one). */
  id: string;
  model: string;
  /** Every block in index order, with its content. */
  blocks: SummaryBlock[];
  /** Block types in index order. */
  blockTypes: Array<BlockInfo['type']>;
  /** Text blocks joined. */
  text: string;
  /** Refusal blocks joined. */
  refusal: string;
  /** Reasoning blocks joined. */
  reasoning: string;
  toolCalls: ToolCallSummary[];
  /** Undefined when the stream did not finish (it failed, or just stopped). */
  finishReason?: FinishReason;
  stopSequence?: string;
  /** Every usage figure merged (message-start, usage events, finish). */
  usage: Usage;
  error?: ErrorSummary;
  /** How many events of each type. */
  counts: Partial<Record<StreamEvent['type'], number>>;
}

export interface CollectedEvents {
  events: StreamEvent[];
  summary: EventSummary;
}

/** Reads the stream to its end, and sums it up. */
export async function collectEvents(stream: ReadableStream<StreamEvent>): Promise<CollectedEvents> {
  const events = await readAll(stream);
  return { events, summary: await summarizeEvents(events) };
}

function arrayStream<T>(items: T[]): ReadableStream<T> {
  return new ReadableStream<T>({
    start(controller) {
      for (const item of items) controller.enqueue(item);
      controller.close();
    },
  });
}

/** Sums up events already read. It does not check their order: see `assertCanonicalOrder`. */
export async function summarizeEvents(events: readonly StreamEvent[]): Promise<EventSummary> {
  const errorEvent = events.find((event) => event.type === 'error');
  const finish = events.find((event) => event.type === 'finish');
  // collectResponse rejects on an error event and without a finish: give it the content and a closing finish.
  const content = events.filter((event) => event.type !== 'error' && event.type !== 'finish');
  const closing: StreamEvent = finish ?? { type: 'finish', reason: 'other', usage: {} };
  const response = await collectResponse(arrayStream([...content, closing]));

  const indices = [
    ...new Set(events.flatMap((event) => (event.type === 'block-start' ? [event.index] : []))),
  ];
  indices.sort((a, b) => a - b);
  const blocks = response.content.map((block, i) => ({ ...block, index: indices[i] ?? i }));
  const join = (type: 'text' | 'refusal' | 'reasoning') =>
    blocks.map((block) => (block.type === type ? block.text : '')).join('');

  const counts: EventSummary['counts'] = {};
  for (const event of events) counts[event.type] = (counts[event.type] ?? 0) + 1;

  const summary: EventSummary = {
    id: response.id,
    model: response.model,
    blocks,
    blockTypes: blocks.map((block) => block.type),
    text: join('text'),
    refusal: join('refusal'),
    reasoning: join('reasoning'),
    toolCalls: blocks.flatMap((block) => (block.type === 'tool-call' ? [toolCallSummary(block)] : [])),
    usage: response.usage,
    counts,
  };
  if (finish?.type === 'finish') {
    summary.finishReason = finish.reason;
    if (finish.stopSequence !== undefined) summary.stopSequence = finish.stopSequence;
  }
  if (errorEvent?.type === 'error') {
    const { type, message, status, retryable, code, provider } = errorEvent.error;
    summary.error = {
      type,
      message,
      status,
      retryable,
      ...(code !== undefined && { code }),
      ...(provider !== undefined && { provider }),
    };
  }
  return summary;
}

function toolCallSummary(block: Extract<SummaryBlock, { type: 'tool-call' }>): ToolCallSummary {
  const call: ToolCallSummary = {
    index: block.index,
    id: block.id,
    name: block.name,
    arguments: block.arguments,
    input: undefined,
  };
  try {
    call.input = JSON.parse(block.arguments === '' ? '{}' : block.arguments);
  } catch (error) {
    call.argumentsError = error instanceof Error ? error.message : String(error);
  }
  return call;
}
