/**
 * Structured output and documents, end to end: what the official SDKs send reaches an upstream of another
 * dialect in that upstream's own form (Responses `text.format` → Chat `response_format`, Chat
 * `response_format` → Anthropic `output_config.format`, a Chat `file` part → an Anthropic `document` block),
 * and what cannot cross (an OpenAI `file_id`) is a 400 naming it.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createGateway, type Gateway } from '../src/index.ts';
import { serve } from '../src/node.ts';
import { configFrom } from './helpers/config.ts';
import { type RecordingUpstream, startRecordingUpstream } from './helpers/recording-upstream.ts';

const SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
};
const PDF = Buffer.from('%PDF-1.4 a tiny document').toString('base64');

let upstream: RecordingUpstream;
let gateway: Gateway;
let server: { url: string; close(grace?: number): Promise<void> };
let openai: OpenAI;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  const config = configFrom(`
providers:
  openai: { type: openai, api_key: sk-test, base_url: ${upstream.url}/v1 }
  anthropic: { type: anthropic, api_key: sk-ant-test, base_url: ${upstream.url} }
models:
  chat: { provider: openai, model: "openai/chat-text-include-usage.sse" }
  claude: { provider: anthropic, model: "anthropic/text.sse" }
`);
  gateway = await createGateway(config, { logger: () => {} });
  server = await serve(gateway, { host: '127.0.0.1', port: 0 });
  openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  await server.close(0);
  await gateway.close(0);
  await upstream.close();
});

test('Responses text.format json_schema → a Chat upstream gets response_format (streamed and not)', async () => {
  const format = { type: 'json_schema' as const, name: 'place', schema: SCHEMA, strict: true };
  await openai.responses.create({ model: 'chat', input: 'Where?', text: { format } });
  expect(upstream.requests.at(-1)!.body.response_format).toEqual({
    type: 'json_schema',
    json_schema: { name: 'place', schema: SCHEMA, strict: true },
  });
  await openai.responses.stream({ model: 'chat', input: 'Where?', text: { format } }).finalResponse();
  expect(upstream.requests.at(-1)!.body.response_format?.json_schema?.name).toBe('place');
});

test('Chat response_format json_schema → an Anthropic upstream gets output_config.format', async () => {
  await openai.chat.completions.create({
    model: 'claude',
    messages: [{ role: 'user', content: 'Where?' }],
    response_format: { type: 'json_schema', json_schema: { name: 'place', schema: SCHEMA } },
  });
  expect(upstream.requests.at(-1)!.body.output_config?.format).toEqual({
    type: 'json_schema',
    schema: SCHEMA,
  });
});

test('a Chat file part (a PDF) → an Anthropic upstream gets a document block; a file_id is a 400 naming it', async () => {
  await openai.chat.completions.create({
    model: 'claude',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Summarise' },
          { type: 'file', file: { filename: 'report.pdf', file_data: `data:application/pdf;base64,${PDF}` } },
        ],
      },
    ],
  });
  const content = upstream.requests.at(-1)!.body.messages[0].content;
  expect(content).toContainEqual(
    expect.objectContaining({
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: PDF },
    }),
  );

  const refused = await openai.chat.completions
    .create({
      model: 'claude',
      messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }] }],
    })
    .catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
  expect((refused as InstanceType<typeof OpenAI.APIError>).message).toContain('file_id');
});
