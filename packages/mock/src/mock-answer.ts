/** Decides what the mock answers (canned text, echo, built-in text or a tool call) as a complete response. */

import type {
  CanonicalMessage,
  CanonicalRequest,
  CanonicalResponse,
  FinishReason,
  OutputBlock,
} from '@tokenpak/provider';
import { splitWords } from '@tokenpak/provider-utils';
import { builtInText } from './default-texts.ts';
import type { MockOptions, MockRule } from './mock-options.ts';

interface LastUser {
  text: string;
  isToolResult: boolean;
}

function lastUserMessage(messages: CanonicalMessage[]): LastUser {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role !== 'user') continue;
    const texts: string[] = [];
    const results: string[] = [];
    let isToolResult = false;
    for (const part of message.content) {
      if (part.type === 'text') texts.push(part.text);
      else if (part.type === 'tool-result') {
        isToolResult = true;
        for (const inner of part.content) if (inner.type === 'text') results.push(inner.text);
      }
    }
    return { text: (texts.length > 0 ? texts : results).join('\n'), isToolResult };
  }
  return { text: '', isToolResult: false };
}

/** Words of everything the request carries: the mock's deterministic input token count. */
function countInputWords(request: CanonicalRequest): number {
  let count = 0;
  const add = (text: string) => {
    count += text.match(/\S+/g)?.length ?? 0;
  };
  if (request.system) add(request.system);
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'thinking') add(part.text);
      else if (part.type === 'tool-call') add(part.arguments);
      else if (part.type === 'tool-result')
        for (const inner of part.content) if (inner.type === 'text') add(inner.text);
    }
  }
  return count;
}

/** FNV-1a, for deterministic ids. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function matches(rule: MockRule, prompt: string, models: readonly string[]): boolean {
  if (rule.model !== undefined && !models.includes(rule.model)) return false;
  if (rule.match === undefined) return true;
  return typeof rule.match === 'string' ? prompt.toLowerCase().includes(rule.match) : rule.match.test(prompt);
}

function chooseText(options: MockOptions, prompt: string, models: readonly string[]): string {
  for (const rule of options.rules) {
    if (matches(rule, prompt, models)) return rule.text;
  }
  if (options.echo) return prompt;
  return builtInText(prompt);
}

/** Applies stop sequences, then max tokens (one word = one token). */
function limitText(
  text: string,
  request: CanonicalRequest,
): { text: string; reason: FinishReason; stopSequence?: string } {
  let out = text;
  let reason: FinishReason = 'stop';
  let stopSequence: string | undefined;
  let cut = -1;
  for (const stop of request.stopSequences ?? []) {
    const at = stop === '' ? -1 : out.indexOf(stop);
    if (at >= 0 && (cut < 0 || at < cut)) {
      cut = at;
      stopSequence = stop;
    }
  }
  if (cut >= 0) {
    out = out.slice(0, cut);
    reason = 'stop-sequence';
  }
  if (request.maxTokens !== undefined) {
    const words = splitWords(out);
    if (words.length > request.maxTokens) {
      out = words.slice(0, request.maxTokens).join('');
      reason = 'length';
      stopSequence = undefined;
    }
  }
  return { text: out, reason, ...(stopSequence !== undefined && { stopSequence }) };
}

function toolToCall(
  request: CanonicalRequest,
  options: MockOptions,
): { name: string; arguments: string } | undefined {
  const tools = request.tools ?? [];
  const choice = request.toolChoice;
  if (tools.length === 0 || choice?.type === 'none') return undefined;
  const forced = choice?.type === 'tool' ? choice.name : undefined;
  if (!options.toolCall && !forced && choice?.type !== 'required') return undefined;
  const wanted = forced ?? options.toolCall?.name;
  const tool = tools.find((t) => t.name === wanted) ?? tools[0];
  if (!tool) return undefined;
  return { name: tool.name, arguments: options.toolCall?.arguments ?? '{}' };
}

/** The complete answer the mock gives to a request; streaming replays exactly this. */
export function mockAnswer(
  request: CanonicalRequest,
  model: string,
  options: MockOptions,
): CanonicalResponse {
  const last = lastUserMessage(request.messages);
  const id = hash(`${model}\n${last.text}`);
  const inputTokens = countInputWords(request);
  const content: OutputBlock[] = [];
  let finishReason: FinishReason;
  let stopSequence: string | undefined;
  let outputTokens: number;

  const tool = last.isToolResult ? undefined : toolToCall(request, options);
  if (tool) {
    content.push({ type: 'tool-call', id: `call_mock_${id}`, ...tool });
    finishReason = 'tool-calls';
    outputTokens = Math.max(1, splitWords(tool.arguments).length);
  } else {
    const limited = limitText(chooseText(options, last.text, [model, request.model]), request);
    content.push({ type: 'text', text: limited.text });
    finishReason = limited.reason;
    stopSequence = limited.stopSequence;
    outputTokens = splitWords(limited.text).length;
  }
  return {
    id: `msg_mock_${id}`,
    model,
    content,
    finishReason,
    ...(stopSequence !== undefined && { stopSequence }),
    usage: { inputTokens, outputTokens },
  };
}
