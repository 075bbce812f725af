import { coalesce } from './coalesce.ts';
import type { CoalesceOptions, CoalesceTiming } from './options.ts';

const always = (): boolean => true;
const concat = (a: string, b: string): string => a + b;

/** Options for a stream of plain text deltas: every string is coalescable and merging concatenates. */
export function stringCoalesceOptions(timing: CoalesceTiming = {}): CoalesceOptions<string> {
  return { ...timing, isCoalescable: always, merge: concat };
}

/** {@link coalesce} for a stream of strings (text deltas): `stream.pipeThrough(coalesceStrings())`. */
export function coalesceStrings(timing: CoalesceTiming = {}): TransformStream<string, string> {
  return coalesce(stringCoalesceOptions(timing));
}
