/** A complete (non-streamed) answer in canonical form. */
import type { FinishReason } from './finish-reason.ts';
import type { Usage } from './usage.ts';

export type OutputBlock =
  | { type: 'text'; text: string }
  | { type: 'refusal'; text: string }
  | { type: 'reasoning'; text: string; signature?: string }
  | { type: 'redacted-reasoning'; data: string }
  | { type: 'tool-call'; id: string; name: string; arguments: string };

export interface CanonicalResponse {
  id: string;
  model: string;
  content: OutputBlock[];
  finishReason: FinishReason;
  stopSequence?: string;
  usage: Usage;
}
