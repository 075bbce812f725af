import { parseSse } from '@tokenpak/providers';
import { MeasureError } from './measure-error.ts';
import { keyHeaders, unauthorizedMessage } from './proxy-auth.ts';

export interface RequestTiming {
  stream: boolean;
  /** Request sent → last byte received. */
  totalMs: number;
  /** Request sent → first text delta (streaming) or → the whole body (non-streaming: nothing shows before). */
  firstTokenMs: number;
  outputTokens?: number;
  /** The answer's text, for a sanity check. */
  text: string;
}

export interface TimeRequestOptions {
  url: string;
  model: string;
  prompt: string;
  stream: boolean;
  apiKey?: string;
  maxTokens?: number;
  signal?: AbortSignal;
}

/** Sends one Anthropic-dialect request to the proxy (recipe Step 6) and times it where the user feels it. */
export async function timeRequest(options: TimeRequestOptions): Promise<RequestTiming> {
  const body = {
    model: options.model,
    stream: options.stream,
    max_tokens: options.maxTokens,
    messages: [{ role: 'user', content: options.prompt }],
  };
  const started = performance.now();
  const response = await fetch(`${options.url.replace(/\/+$/, '')}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...keyHeaders(options.apiKey),
    },
    body: JSON.stringify(body),
    signal: options.signal,
  });
  if (response.status === 401) {
    await response.body?.cancel();
    throw new MeasureError(unauthorizedMessage(options.apiKey));
  }
  if (!response.ok || !response.body) {
    const text = await response.text();
    let message = text;
    try {
      message = JSON.parse(text)?.error?.message ?? text;
    } catch {}
    throw new MeasureError(
      `${options.stream ? 'streaming' : 'non-streaming'} request failed: ${response.status} ${message}`,
    );
  }
  if (!options.stream) {
    const json = (await response.json()) as {
      content?: Array<{ type: string; text?: string }>;
      usage?: { output_tokens?: number };
    };
    const totalMs = performance.now() - started;
    const text = (json.content ?? []).map((block) => (block.type === 'text' ? block.text : '')).join('');
    return { stream: false, totalMs, firstTokenMs: totalMs, outputTokens: json.usage?.output_tokens, text };
  }
  let firstTokenMs: number | undefined;
  let outputTokens: number | undefined;
  let text = '';
  for await (const message of parseSse(response.body) as unknown as AsyncIterable<{
    event?: string;
    data: string;
  }>) {
    if (message.event === 'content_block_delta') {
      const delta = JSON.parse(message.data).delta as { type: string; text?: string };
      if (delta.type === 'text_delta' && delta.text) {
        firstTokenMs ??= performance.now() - started;
        text += delta.text;
      }
    } else if (message.event === 'message_delta') {
      outputTokens = JSON.parse(message.data).usage?.output_tokens ?? outputTokens;
    } else if (message.event === 'error') {
      throw new MeasureError(`stream failed: ${JSON.parse(message.data).error?.message ?? message.data}`);
    }
  }
  const totalMs = performance.now() - started;
  return { stream: true, totalMs, firstTokenMs: firstTokenMs ?? totalMs, outputTokens, text };
}
