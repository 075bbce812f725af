/**
 * Never refuse what the upstream would accept: a same-dialect request reaches the upstream with only the model
 * changed (made-up fields, roles, blocks and tool types included), and made-up upstream events reach the
 * client as they came, on the fast path and on the translated (coalesced) one. Across dialects, what maps is
 * mapped (a mid-conversation system turn stays at its position) and what would change the meaning is a 400
 * naming it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createGateway, type Gateway } from '../src/index.ts';
import type { RequestLogLine } from '../src/log/request-log.ts';
import { configFrom } from './helpers/config.ts';
import { type RecordingUpstream, recording, startRecordingUpstream } from './helpers/recording-upstream.ts';

const MADE_UP_ANTHROPIC_EVENT = 'event: thought_bubble\ndata: {"type":"thought_bubble","mood":"curious"}\n\n';
const MADE_UP_OPENAI_EVENT = 'event: made_up\ndata: {"object":"made.up","value":42}\n\n';

let upstream: RecordingUpstream;
let gateway: Gateway;
const logs: RequestLogLine[] = [];

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  // The recordings with a made-up event after the first one.
  const anthropicWire = recording('anthropic/text.sse').replace(/\n\n/, `\n\n${MADE_UP_ANTHROPIC_EVENT}`);
  upstream.answer('anthropic-odd', anthropicWire);
  const openaiWire = recording('openai/chat-text-include-usage.sse').replace(
    /\n\n/,
    `\n\n${MADE_UP_OPENAI_EVENT}`,
  );
  upstream.answer('openai-odd', openaiWire);
  const config = configFrom(
    `
providers:
  openai: { type: openai, api_key: sk-test, base_url: ${upstream.url}/v1 }
  anthropic: { type: anthropic, api_key: sk-ant-test, base_url: ${upstream.url} }
models:
  claude: { provider: anthropic, model: anthropic-odd, buffer_tokens: 1 }
  claude-coalesced: { provider: anthropic, model: anthropic-odd, buffer_tokens: 4 }
  gpt: { provider: openai, model: openai-odd, buffer_tokens: 1 }
  gpt-coalesced: { provider: openai, model: openai-odd, buffer_tokens: 4 }
`,
  );
  gateway = await createGateway(config, { logger: (line) => logs.push(line) });
});
afterAll(async () => {
  await gateway.close(0);
  await upstream.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return gateway.app.fetch(
    new Request(`http://tokenpak.test${path}${path === '/v1/messages' ? '?beta=true' : ''}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
  );
}

/** What Claude Code sends, and more that no version of the API has (yet). */
function claudeCodeBody(model: string) {
  return {
    model,
    max_tokens: 32000,
    stream: true,
    system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Say hello', cache_control: { type: 'ephemeral' } }] },
      { role: 'assistant', content: 'Hello.' },
      { role: 'system', content: 'The user switched to plan mode.' },
      {
        role: 'user',
        content: [
          { type: 'made_up_block', payload: { x: 1 } },
          { type: 'text', text: 'Again' },
        ],
      },
      { role: 'critic', content: 'a role nobody has heard of' },
    ],
    thinking: { type: 'adaptive' },
    context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
    output_config: { effort: 'high' },
    tools: [
      { name: 'Bash', description: 'Run a command', input_schema: { type: 'object' } },
      { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
      { type: 'made_up_tool_2099', name: 'future' },
    ],
    metadata: { user_id: 'user_abc' },
    made_up_top_level: { deeply: ['nested'] },
  };
}

describe('same dialect: the request as sent, the events as they came', () => {
  test.each(['claude', 'claude-coalesced'])('Anthropic (%s)', async (model) => {
    const body = claudeCodeBody(model);
    const res = await post('/v1/messages', body, {
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'mid-conversation-system-2026-04-07,made-up-beta-2099-01-01',
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const sent = upstream.requests.at(-1)!;
    expect(sent.body).toEqual({ ...body, model: 'anthropic-odd' });
    expect(sent.headers['anthropic-beta']).toBe('mid-conversation-system-2026-04-07,made-up-beta-2099-01-01');
    expect(text).toContain(MADE_UP_ANTHROPIC_EVENT.trim().split('\n')[1]);
    expect(text).toContain('event: thought_bubble');
    expect(text).toContain('event: message_stop');
    expect(logs.at(-1)).toMatchObject({ outcome: 'ok', fast_path: model === 'claude' });
  });

  test.each(['gpt', 'gpt-coalesced'])('OpenAI Chat Completions (%s)', async (model) => {
    const body = {
      model,
      stream: true,
      messages: [
        { role: 'developer', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'made_up_part', data: 'x' },
            { type: 'text', text: 'Hi' },
          ],
        },
        { role: 'assistant', content: 'Hello.' },
        { role: 'system', content: 'Now be terse.' },
        { role: 'made_up_role', content: 'y' },
      ],
      made_up_field: 1,
      prompt_cache_key: 'k',
      tools: [{ type: 'custom', custom: { name: 'freeform' } }],
    };
    const res = await post('/v1/chat/completions', body);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(upstream.requests.at(-1)!.body).toEqual({
      ...body,
      model: 'openai-odd',
      stream_options: { include_usage: true },
    });
    expect(text).toMatch(/event: made_up\n(id: \d+\n)?data: \{"object":"made.up","value":42\}\n/);
    expect(text).toContain('data: [DONE]');
    expect(logs.at(-1)).toMatchObject({ outcome: 'ok', fast_path: model === 'gpt' });
  });
});

describe('across dialects', () => {
  test('Claude Code → an OpenAI upstream: the system turn stays at its position; cache_control dropped silently', async () => {
    const body = claudeCodeBody('gpt');
    body.messages = body.messages.filter((m) => m.role !== 'critic');
    body.messages[3] = { role: 'user', content: 'Again' };
    body.tools = body.tools.slice(0, 1);
    const res = await post('/v1/messages', body, { 'anthropic-version': '2023-06-01' });
    expect(res.status).toBe(200);
    await res.text();
    const sent = upstream.requests.at(-1)!.body;
    expect(sent.messages).toEqual([
      { role: 'system', content: 'You are Claude Code.' },
      { role: 'user', content: 'Say hello' },
      { role: 'assistant', content: 'Hello.' },
      { role: 'system', content: 'The user switched to plan mode.' },
      { role: 'user', content: 'Again' },
    ]);
    expect(JSON.stringify(sent)).not.toContain('cache_control');
  });

  test('a role only Anthropic knows, toward an OpenAI upstream: 400 naming the field', async () => {
    const res = await post('/v1/messages', claudeCodeBody('gpt'), { 'anthropic-version': '2023-06-01' });
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json.type).toBe('error');
    expect(json.error.message).toContain("messages.4.role: 'critic'");
    expect(json.error.message).toContain("model 'gpt'");
  });
});
