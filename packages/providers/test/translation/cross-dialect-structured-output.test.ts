/**
 * Structured output across dialects, wire to wire: a client body → parseRequest → buildRequest for another
 * dialect → the upstream body's format fields, and the warnings exactly. Streamed and not: the builders put
 * the format in the same place either way.
 *
 *   Chat `response_format` ⇄ Responses `text.format` ⇄ Anthropic `output_config.format` ⇄ Gemini
 *   `responseMimeType` + `responseJsonSchema` (or `responseSchema`) → Ollama `format`, Converse
 *   `outputConfig.textFormat`.
 */

import { anthropicMessages } from '@tokenpak/anthropic';
import { bedrockConverse } from '@tokenpak/bedrock';
import { geminiDialect } from '@tokenpak/gemini';
import { ollamaChat } from '@tokenpak/ollama';
import { openaiChat, openaiResponses } from '@tokenpak/openai';
import type { Dialect, UpstreamDialect } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';

function translate(
  client: Dialect,
  upstream: Pick<UpstreamDialect<unknown>, 'buildRequest'>,
  body: Record<string, unknown>,
  model = 'target-model',
  stream = false,
) {
  const { request, warnings } = client.parseRequest(body);
  const built = upstream.buildRequest(request, { model, stream, defaultMaxTokens: 4096 }, warnings);
  return { request, upstream: built, warnings };
}

const SCHEMA = {
  type: 'object',
  properties: {
    city: { type: 'string' },
    days: { type: 'array', items: { type: 'object', properties: { t: { type: 'number' } } } },
  },
  required: ['city'],
};
/** SCHEMA as Anthropic needs it: every object closed. */
const CLOSED = {
  type: 'object',
  properties: {
    city: { type: 'string' },
    days: {
      type: 'array',
      items: { type: 'object', properties: { t: { type: 'number' } }, additionalProperties: false },
    },
  },
  required: ['city'],
  additionalProperties: false,
};
const CLOSED_WARNING =
  "additionalProperties: false was added to the response schema's objects (Anthropic requires it)";

const chatBody = (format: unknown) => ({
  model: 'alias',
  messages: [{ role: 'user', content: 'Weather in Paris, as JSON' }],
  response_format: format,
});
const CHAT_SCHEMA_FORMAT = {
  type: 'json_schema',
  json_schema: { name: 'weather', schema: SCHEMA, strict: true },
};

const responsesBody = (format: unknown, extra: Record<string, unknown> = {}) => ({
  model: 'alias',
  input: 'Weather in Paris, as JSON',
  text: { format, ...extra },
});
/** What the OpenAI Agents SDK (`outputType`) and Codex (`--output-schema`) send. */
const RESPONSES_SCHEMA_FORMAT = { type: 'json_schema', name: 'final_output', schema: SCHEMA, strict: true };

describe.each([false, true])('stream: %s', (stream) => {
  describe('Responses text.format json_schema (Codex --output-schema, Agents SDK outputType)', () => {
    const body = responsesBody(RESPONSES_SCHEMA_FORMAT, { verbosity: 'low' });

    test('→ Chat: response_format json_schema with its name and strict flag', () => {
      const { upstream, warnings } = translate(openaiResponses, openaiChat, body, 'gpt-4o', stream);
      expect(upstream.response_format).toEqual({
        type: 'json_schema',
        json_schema: { name: 'final_output', schema: SCHEMA, strict: true },
      });
      // The rest of `text` has no Chat field of its own here: named.
      expect(warnings).toEqual(['dropped (no OpenAI equivalent): text']);
    });

    test('→ Anthropic: output_config.format with every object closed (warned)', () => {
      const { upstream, warnings } = translate(openaiResponses, anthropicMessages, body, 'claude', stream);
      expect(upstream.output_config).toEqual({ format: { type: 'json_schema', schema: CLOSED } });
      expect(warnings).toEqual([CLOSED_WARNING, 'text has no Anthropic equivalent; dropped']);
    });

    test('→ Gemini: responseMimeType application/json + responseJsonSchema', () => {
      const { upstream } = translate(openaiResponses, geminiDialect, body, 'gemini-2.5-flash', stream);
      expect(upstream.generationConfig).toEqual({
        responseMimeType: 'application/json',
        responseJsonSchema: SCHEMA,
      });
    });

    test('→ Ollama: format is the schema', () => {
      const { upstream } = translate(openaiResponses, ollamaChat, body, 'llama3', stream);
      expect(upstream.format).toEqual(SCHEMA);
    });

    test('→ Bedrock Converse: outputConfig.textFormat with the schema as JSON text', () => {
      const { upstream } = translate(openaiResponses, bedrockConverse, body, 'anthropic.claude-x', stream);
      expect(upstream.outputConfig).toEqual({
        textFormat: {
          type: 'json_schema',
          structure: { jsonSchema: { schema: JSON.stringify(SCHEMA), name: 'final_output' } },
        },
      });
    });
  });

  describe('Chat response_format', () => {
    test('json_schema → Responses text.format (flat)', () => {
      const { upstream, warnings } = translate(
        openaiChat,
        openaiResponses,
        chatBody(CHAT_SCHEMA_FORMAT),
        'gpt-5',
        stream,
      );
      expect(upstream.text).toEqual({
        format: { type: 'json_schema', name: 'weather', schema: SCHEMA, strict: true },
      });
      expect(warnings).toEqual([]);
    });

    test('json_schema → Anthropic output_config.format; an effort joins it', () => {
      const { upstream, warnings } = translate(
        openaiChat,
        anthropicMessages,
        { ...chatBody(CHAT_SCHEMA_FORMAT), reasoning_effort: 'low' },
        'claude',
        stream,
      );
      expect(upstream.output_config).toEqual({ format: { type: 'json_schema', schema: CLOSED } });
      expect(upstream.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
      expect(warnings).toEqual([CLOSED_WARNING]);
    });

    test('json_object → Anthropic: dropped, said so (Anthropic takes a schema only)', () => {
      const { upstream, warnings } = translate(
        openaiChat,
        anthropicMessages,
        chatBody({ type: 'json_object' }),
        'claude',
        stream,
      );
      expect(upstream.output_config).toBeUndefined();
      expect(warnings).toEqual([
        'response_format json_object is dropped: Anthropic takes a JSON schema only (the prompt still asks for JSON)',
      ]);
    });

    test('json_object → Gemini application/json, Ollama "json", Responses json_object; Converse drops it', () => {
      const body = chatBody({ type: 'json_object' });
      expect(translate(openaiChat, geminiDialect, body, 'g', stream).upstream.generationConfig).toEqual({
        responseMimeType: 'application/json',
      });
      expect(translate(openaiChat, ollamaChat, body, 'l', stream).upstream.format).toBe('json');
      expect(translate(openaiChat, openaiResponses, body, 'r', stream).upstream.text).toEqual({
        format: { type: 'json_object' },
      });
      const converse = translate(openaiChat, bedrockConverse, body, 'amazon.nova-pro-v1:0', stream);
      expect(converse.upstream.outputConfig).toBeUndefined();
      expect(converse.warnings).toEqual([
        'response_format json_object is dropped: Converse takes a JSON schema only (the prompt still asks for JSON)',
      ]);
    });

    test('text is the default everywhere: nothing is sent', () => {
      const body = chatBody({ type: 'text' });
      expect(translate(openaiChat, openaiResponses, body, 'r', stream).upstream.text).toBeUndefined();
      expect(
        translate(openaiChat, anthropicMessages, body, 'c', stream).upstream.output_config,
      ).toBeUndefined();
      expect(
        translate(openaiChat, geminiDialect, body, 'g', stream).upstream.generationConfig,
      ).toBeUndefined();
    });
  });

  describe('Gemini generationConfig', () => {
    const geminiBody = (config: Record<string, unknown>) => ({
      model: 'alias',
      contents: [{ role: 'user', parts: [{ text: 'Weather in Paris' }] }],
      generationConfig: config,
    });

    test('responseSchema (OpenAPI subset) → Chat json_schema, as JSON Schema, named `response`', () => {
      const body = geminiBody({
        responseMimeType: 'application/json',
        responseSchema: {
          type: 'OBJECT',
          properties: { city: { type: 'STRING', nullable: true } },
          propertyOrdering: ['city'],
        },
      });
      const { upstream, warnings } = translate(geminiDialect, openaiChat, body, 'gpt-4o', stream);
      expect(upstream.response_format).toEqual({
        type: 'json_schema',
        json_schema: {
          name: 'response',
          schema: { type: 'object', properties: { city: { type: ['string', 'null'] } } },
        },
      });
      expect(warnings).toEqual([]);
    });

    test('responseJsonSchema → Responses text.format and Anthropic output_config.format', () => {
      const body = geminiBody({ responseMimeType: 'application/json', responseJsonSchema: SCHEMA });
      expect(translate(geminiDialect, openaiResponses, body, 'gpt-5', stream).upstream.text).toEqual({
        format: { type: 'json_schema', name: 'response', schema: SCHEMA },
      });
      expect(
        translate(geminiDialect, anthropicMessages, body, 'claude', stream).upstream.output_config,
      ).toEqual({
        format: { type: 'json_schema', schema: CLOSED },
      });
    });

    test('application/json without a schema → Chat json_object', () => {
      const body = geminiBody({ responseMimeType: 'application/json' });
      expect(translate(geminiDialect, openaiChat, body, 'gpt-4o', stream).upstream.response_format).toEqual({
        type: 'json_object',
      });
    });

    test('text/x.enum has no other form: dropped, named', () => {
      const body = geminiBody({
        responseMimeType: 'text/x.enum',
        responseSchema: { type: 'STRING', enum: ['a'] },
      });
      const { upstream, warnings } = translate(geminiDialect, openaiChat, body, 'gpt-4o', stream);
      expect(upstream.response_format).toBeUndefined();
      expect(warnings).toEqual([
        'dropped (no OpenAI equivalent): generationConfig.responseMimeType, generationConfig.responseSchema',
      ]);
    });
  });

  describe('Anthropic output_config.format', () => {
    const body = {
      model: 'alias',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Weather in Paris' }],
      output_config: { effort: 'high', format: { type: 'json_schema', schema: CLOSED } },
    };

    test('→ Chat json_schema named `response` (no strict: OpenAI keeps its default)', () => {
      const { upstream, warnings } = translate(anthropicMessages, openaiChat, body, 'gpt-5', stream);
      expect(upstream.response_format).toEqual({
        type: 'json_schema',
        json_schema: { name: 'response', schema: CLOSED },
      });
      expect(upstream.reasoning_effort).toBe('high');
      expect(warnings).toEqual([]);
    });

    test('→ Gemini responseJsonSchema, Converse textFormat', () => {
      expect(
        translate(anthropicMessages, geminiDialect, body, 'gemini-2.5-pro', stream).upstream.generationConfig,
      ).toMatchObject({
        responseMimeType: 'application/json',
        responseJsonSchema: CLOSED,
      });
      expect(
        translate(anthropicMessages, bedrockConverse, body, 'anthropic.claude-sonnet-4-5', stream).upstream
          .outputConfig,
      ).toEqual({
        textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(CLOSED) } } },
      });
    });

    test('the deprecated beta output_format maps the same', () => {
      const { output_config: _config, ...rest } = body;
      const beta = { ...rest, output_format: { type: 'json_schema', schema: CLOSED } };
      const { upstream, warnings } = translate(anthropicMessages, openaiResponses, beta, 'gpt-5', stream);
      expect(upstream.text).toEqual({ format: { type: 'json_schema', name: 'response', schema: CLOSED } });
      expect(warnings).toEqual([]);
    });
  });

  test('a description has no Anthropic, Gemini or Ollama field: dropped, named; Converse keeps it', () => {
    const body = chatBody({
      type: 'json_schema',
      json_schema: { name: 'weather', description: 'Weather for a city', schema: CLOSED },
    });
    expect(translate(openaiChat, anthropicMessages, body, 'c', stream).warnings).toEqual([
      "the response format's description is dropped: Anthropic's output format has none",
    ]);
    expect(translate(openaiChat, geminiDialect, body, 'g', stream).warnings).toEqual([
      "the response format's description is dropped: Gemini's response schema has none",
    ]);
    expect(translate(openaiChat, ollamaChat, body, 'l', stream).warnings).toEqual([
      "the response format's description is dropped: Ollama's format is the schema alone",
    ]);
    const converse = translate(openaiChat, bedrockConverse, body, 'amazon.nova-pro-v1:0', stream);
    expect(converse.warnings).toEqual([]);
    expect(converse.upstream.outputConfig).toMatchObject({
      textFormat: { structure: { jsonSchema: { name: 'weather', description: 'Weather for a city' } } },
    });
  });
});

test('same dialect: a Responses client without its raw body gets text.format and its verbosity back', () => {
  const { request } = openaiResponses.parseRequest(
    responsesBody(RESPONSES_SCHEMA_FORMAT, { verbosity: 'low' }),
  );
  const { raw: _raw, ...canonical } = request;
  const built = openaiResponses.buildRequest(canonical, {
    model: 'gpt-5',
    stream: true,
    defaultMaxTokens: 1,
  });
  expect(built.text).toEqual({ verbosity: 'low', format: RESPONSES_SCHEMA_FORMAT });
});
