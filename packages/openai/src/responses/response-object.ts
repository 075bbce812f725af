/**
 * The `response` object (https://platform.openai.com/docs/api-reference/responses/object), as the stream's
 * `response.created` / `.completed` / `.incomplete` / `.failed` events and the non-streamed body carry it.
 * The encoder knows the answer, not the request: request echoes (`instructions`, `tools`, `temperature`…)
 * are sent with neutral values.
 */
import type { Usage } from '@tokenpak/provider';
import { usageToResponses } from './map-usage.ts';

export interface ResponseObjectInit {
  id: string;
  createdAt: number;
  model: string;
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  output: unknown[];
  /** Undefined while the response is in progress (`usage: null`). */
  usage?: Usage;
  incompleteReason?: string;
  error?: { code: string; message: string };
  /** What the request sent of the fields the object repeats (`requestEcho`). */
  echo?: Record<string, unknown>;
}

export function responseObject(init: ResponseObjectInit): Record<string, unknown> {
  const done = init.status !== 'in_progress';
  return {
    id: init.id,
    object: 'response',
    created_at: init.createdAt,
    status: init.status,
    ...(done && { completed_at: Math.floor(Date.now() / 1000) }),
    background: false,
    error: init.error ?? null,
    incomplete_details: init.incompleteReason ? { reason: init.incompleteReason } : null,
    instructions: null,
    max_output_tokens: null,
    model: init.model,
    output: init.output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: null,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    truncation: 'disabled',
    usage: init.usage && done ? usageToResponses(init.usage) : null,
    user: null,
    metadata: {},
    ...init.echo,
  };
}
