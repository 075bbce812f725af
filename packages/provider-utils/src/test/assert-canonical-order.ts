/**
 * Checks events against the canonical stream contract (packages/provider/src/events.ts), as the dialect
 * decoders and `decodeSseStream` produce it:
 *
 * - `message-start` comes once, first. Only an `error` may come without one (a stream that failed before
 *   it began). Set `requireMessageStart: false` for a provider that sends none.
 * - `block-start` uses an index not used before, larger than every earlier one (blocks are numbered in
 *   the order they start; gaps are allowed, since the Anthropic decoder skips blocks canonical cannot carry;
 *   set `denseIndices` to require 0, 1, 2…).
 * - A delta needs its block open, and of its type: `text-delta` in text or refusal, `reasoning-delta` and
 *   `reasoning-signature` in reasoning, `tool-call-delta` in tool-call; none in redacted-reasoning. Nothing
 *   of a block follows its `block-stop`; a block stops once. Several blocks may be open at once.
 * - Exactly one terminal event, `finish` or `error`, and it is the last. Every block is closed before
 *   `finish`; an `error` may leave blocks open.
 * - `finish.reason` is a FinishReason; usage figures are whole numbers ≥ 0.
 */
import type { FinishReason, StreamEvent, Usage } from '@tokenpak/provider';

export interface CanonicalOrderOptions {
  /** Every stream that does not fail at once starts with message-start. Default true. */
  requireMessageStart?: boolean;
  /** Block indices are 0, 1, 2… with no gap. Default false. */
  denseIndices?: boolean;
}

const FINISH_REASONS: ReadonlySet<FinishReason> = new Set<FinishReason>([
  'stop',
  'stop-sequence',
  'length',
  'tool-calls',
  'content-filter',
  'refusal',
  'pause',
  'error',
  'other',
]);

/** The block types each delta may go to. */
const DELTA_TARGETS: Record<string, readonly string[]> = {
  'text-delta': ['text', 'refusal'],
  'reasoning-delta': ['reasoning'],
  'reasoning-signature': ['reasoning'],
  'tool-call-delta': ['tool-call'],
};

function usageProblems(usage: Usage | undefined, where: string): string[] {
  if (usage === undefined) return [];
  if (usage === null || typeof usage !== 'object') return [`${where}: usage is not an object`];
  return Object.entries(usage).flatMap(([key, value]) =>
    value === undefined || (Number.isInteger(value) && (value as number) >= 0)
      ? []
      : [`${where}: usage.${key} is ${String(value)}, not a whole number >= 0`],
  );
}

/** Every way `events` breaks the contract, one sentence each (empty when they keep it). */
export function canonicalOrderProblems(
  events: readonly StreamEvent[],
  options: CanonicalOrderOptions = {},
): string[] {
  const requireMessageStart = options.requireMessageStart ?? true;
  const problems: string[] = [];
  /** Index → block type, for every block started. */
  const started = new Map<number, string>();
  const open = new Set<number>();
  let lastIndex = -1;
  let sawStart = false;
  let saidNoStart = false;
  let terminal: number | undefined;

  if (events.length === 0) return ['the stream has no events (it needs a finish or an error)'];

  events.forEach((event, position) => {
    const where = `event ${position} (${event.type}${'index' in event ? ` ${event.index}` : ''})`;
    if (terminal !== undefined) {
      problems.push(`${where} comes after the terminal ${events[terminal]?.type} at ${terminal}`);
    }
    if (event.type === 'message-start') {
      if (sawStart) problems.push(`${where}: a second message-start`);
      else if (position !== 0) problems.push(`${where}: message-start must be the first event`);
      sawStart = true;
      problems.push(...usageProblems(event.usage, where));
      return;
    }
    if (requireMessageStart && !sawStart && !saidNoStart && event.type !== 'error') {
      problems.push(`${where} comes before message-start`);
      saidNoStart = true;
    }
    switch (event.type) {
      case 'block-start': {
        const { index } = event;
        if (!Number.isInteger(index) || index < 0)
          problems.push(`${where}: index is not a whole number >= 0`);
        if (started.has(index)) problems.push(`${where}: block ${index} was already started`);
        else if (index <= lastIndex) {
          problems.push(`${where}: block ${index} starts after block ${lastIndex} (indices must increase)`);
        } else if (options.denseIndices && index !== lastIndex + 1) {
          problems.push(`${where}: expected block ${lastIndex + 1} (indices must be dense)`);
        }
        if (!started.has(index)) {
          started.set(index, event.block.type);
          open.add(index);
          lastIndex = Math.max(lastIndex, index);
        }
        return;
      }
      case 'text-delta':
      case 'reasoning-delta':
      case 'reasoning-signature':
      case 'tool-call-delta': {
        const type = started.get(event.index);
        if (type === undefined) problems.push(`${where}: block ${event.index} was never started`);
        else if (!open.has(event.index)) problems.push(`${where}: block ${event.index} is already stopped`);
        else if (!DELTA_TARGETS[event.type]?.includes(type)) {
          problems.push(`${where}: a ${event.type} cannot go to a ${type} block`);
        }
        return;
      }
      case 'block-stop':
        if (!started.has(event.index)) problems.push(`${where}: block ${event.index} was never started`);
        else if (!open.has(event.index)) problems.push(`${where}: block ${event.index} is stopped twice`);
        open.delete(event.index);
        return;
      case 'usage':
        problems.push(...usageProblems(event.usage, where));
        return;
      case 'finish':
        terminal ??= position;
        if (!FINISH_REASONS.has(event.reason))
          problems.push(`${where}: unknown reason ${String(event.reason)}`);
        if (open.size > 0) problems.push(`${where}: blocks ${[...open].join(', ')} are still open`);
        problems.push(...usageProblems(event.usage, where));
        return;
      case 'error':
        terminal ??= position;
        if (!event.error || typeof event.error.message !== 'string') {
          problems.push(`${where}: has no ProviderError`);
        }
        return;
      default:
        problems.push(`${where}: unknown event type`);
    }
  });
  if (terminal === undefined) problems.push('the stream ends with neither finish nor error');
  return problems;
}

/** Throws an Error listing every problem (and the event types, for context) when `events` break the contract. */
export function assertCanonicalOrder(events: readonly StreamEvent[], options?: CanonicalOrderOptions): void {
  const problems = canonicalOrderProblems(events, options);
  if (problems.length === 0) return;
  const types = events.map((event) => ('index' in event ? `${event.type}:${event.index}` : event.type));
  throw new Error(
    `the events break the canonical order:\n- ${problems.join('\n- ')}\nevents: ${types.join(', ')}`,
  );
}
