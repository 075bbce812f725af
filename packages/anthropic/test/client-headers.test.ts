/** anthropicCallHeaders: which client headers an Anthropic upstream gets, per call. */

import { callContext, userRequest } from '@tokenpak/provider-utils/test';
import { describe, expect, test } from 'vitest';
import { anthropicCallHeaders, pickAnthropicClientHeaders } from '../src/anthropic-provider.ts';

const fromAnthropic = userRequest('Hi', { sourceDialect: 'anthropic-messages' });
const clientHeaders = {
  'anthropic-beta': 'context-1m-2025-08-07,interleaved-thinking-2025-05-14',
  'anthropic-version': '2023-01-01',
};

describe('anthropicCallHeaders', () => {
  test("an Anthropic client's beta flags and version are forwarded", () => {
    expect(anthropicCallHeaders()(fromAnthropic, callContext({ clientHeaders }))).toEqual(clientHeaders);
  });

  test('a client from another dialect, or one without such headers, adds nothing', () => {
    const headers = anthropicCallHeaders();
    expect(headers(userRequest('Hi'), callContext({ clientHeaders }))).toBeUndefined();
    expect(headers(fromAnthropic, callContext())).toBeUndefined();
    expect(headers(fromAnthropic, callContext({ clientHeaders: {} }))).toBeUndefined();
    expect(headers(fromAnthropic, callContext({ clientHeaders: { 'anthropic-beta': '' } }))).toBeUndefined();
  });

  test("the config's beta flags are kept and joined with the client's, each once", () => {
    const headers = anthropicCallHeaders({
      'Anthropic-Beta': 'prompt-caching-2024-07-31, context-1m-2025-08-07',
    });
    expect(headers(fromAnthropic, callContext({ clientHeaders }))).toEqual({
      'anthropic-beta': 'prompt-caching-2024-07-31,context-1m-2025-08-07,interleaved-thinking-2025-05-14',
      'anthropic-version': '2023-01-01',
    });
  });

  test("a version pinned in the config wins over the client's", () => {
    const headers = anthropicCallHeaders({ 'anthropic-version': '2023-06-01' });
    expect(headers(fromAnthropic, callContext({ clientHeaders }))).toEqual({
      'anthropic-beta': clientHeaders['anthropic-beta'],
    });
    expect(
      headers(fromAnthropic, callContext({ clientHeaders: { 'anthropic-version': '2023-01-01' } })),
    ).toBeUndefined();
  });
});

describe('pickAnthropicClientHeaders', () => {
  test('takes anthropic-beta and anthropic-version from a request, and nothing else', () => {
    const headers = new Headers({
      'Anthropic-Beta': 'context-1m-2025-08-07',
      'anthropic-version': '2023-06-01',
      'x-api-key': 'sk-client-key',
      authorization: 'Bearer sk-client-key',
      'content-type': 'application/json',
    });
    expect(pickAnthropicClientHeaders(headers)).toEqual({
      'anthropic-beta': 'context-1m-2025-08-07',
      'anthropic-version': '2023-06-01',
    });
    expect(pickAnthropicClientHeaders(new Headers({ 'x-api-key': 'k' }))).toBeUndefined();
  });
});
