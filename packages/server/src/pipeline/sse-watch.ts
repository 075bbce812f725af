/**
 * Best-effort watching of a same-dialect SSE byte stream that is forwarded untouched: first content (TTFT),
 * usage figures and in-stream errors. Only `data:` lines that mention usage are parsed as JSON.
 */
import { type DialectName, ProviderError } from '@tokenpak/providers';
import type { RequestTrace } from './request-trace.ts';

export interface SseWatcher {
  /** Feeds decoded text; complete lines are inspected. */
  push(text: string): void;
}

export function createSseWatcher(dialect: DialectName, trace: RequestTrace, provider: string): SseWatcher {
  let partial = '';
  let errorEventNamed = false;

  const inspect = (line: string): void => {
    if (line.startsWith('event:')) {
      errorEventNamed = line.slice(6).trim() === 'error';
      return;
    }
    if (!line.startsWith('data:')) return;
    const data = line.slice(5);
    if (errorEventNamed || data.includes('"type":"error"') || data.trimStart().startsWith('{"error"')) {
      errorEventNamed = false;
      trace.streamError = new ProviderError({
        type: 'api_error',
        message: 'The upstream reported an error inside the stream.',
        provider,
      });
      return;
    }
    if (!trace.contentSeen && hasContent(dialect, data)) trace.contentSeen = true;
    if (data.includes('"usage"')) readUsage(dialect, data, trace);
  };

  return {
    push(text) {
      const all = partial === '' ? text : partial + text;
      let start = 0;
      for (;;) {
        const newline = all.indexOf('\n', start);
        if (newline === -1) break;
        let end = newline;
        if (end > start && all.charCodeAt(end - 1) === 13) end--;
        if (end > start) inspect(all.slice(start, end));
        start = newline + 1;
      }
      partial = start === all.length ? '' : all.slice(start);
    },
  };
}

function hasContent(dialect: DialectName, data: string): boolean {
  if (dialect === 'anthropic-messages') return data.includes('"content_block_delta"');
  return (
    (data.includes('"content":"') && !data.includes('"content":""')) ||
    data.includes('"tool_calls"') ||
    data.includes('"reasoning_content":"') ||
    data.includes('"refusal":"')
  );
}

function readUsage(dialect: DialectName, data: string, trace: RequestTrace): void {
  let parsed: any;
  try {
    parsed = JSON.parse(data);
  } catch {
    return;
  }
  if (dialect === 'anthropic-messages') {
    const usage = parsed?.type === 'message_start' ? parsed.message?.usage : parsed?.usage;
    if (usage && typeof usage === 'object') {
      if (typeof usage.input_tokens === 'number' && usage.input_tokens > 0)
        trace.tokensIn = usage.input_tokens;
      if (typeof usage.output_tokens === 'number') trace.tokensOut = usage.output_tokens;
    }
    return;
  }
  const usage = parsed?.usage;
  if (usage && typeof usage === 'object') {
    if (typeof usage.prompt_tokens === 'number') trace.tokensIn = usage.prompt_tokens;
    if (typeof usage.completion_tokens === 'number') trace.tokensOut = usage.completion_tokens;
  }
}
