/**
 * Documents (files) across dialects, wire to wire: a client body → parseRequest → buildRequest for another
 * dialect → the upstream's content part, the warnings exactly, and the 400s for what cannot cross.
 *
 *   Chat `file` ⇄ Responses `input_file` ⇄ Anthropic `document` ⇄ Gemini `inlineData` / `fileData`
 *   → Converse `document`; Ollama reads no files (text documents become text, others are refused).
 */

import { anthropicMessages } from '@tokenpak/anthropic';
import { bedrockConverse } from '@tokenpak/bedrock';
import { geminiDialect } from '@tokenpak/gemini';
import { ollamaChat } from '@tokenpak/ollama';
import { openaiChat, openaiResponses } from '@tokenpak/openai';
import { type Dialect, ProviderError, type UpstreamDialect } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';

type Builder = Pick<UpstreamDialect<unknown>, 'buildRequest'>;

function translate(client: Dialect, upstream: Builder, body: Record<string, unknown>, stream = false) {
  const { request, warnings } = client.parseRequest(body);
  const built = upstream.buildRequest(request, { model: 'target', stream, defaultMaxTokens: 4096 }, warnings);
  return { request, upstream: built, warnings };
}

function refusal(client: Dialect, upstream: Builder, body: Record<string, unknown>): ProviderError {
  try {
    translate(client, upstream, body);
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ type: 'invalid_request', status: 400 });
    return error as ProviderError;
  }
  throw new Error('expected buildRequest to refuse the request');
}

const PDF = 'JVBERi0xLjQK';
const PDF_URL = `data:application/pdf;base64,${PDF}`;

const chatBody = (file: Record<string, unknown>) => ({
  model: 'alias',
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Summarise this' },
        { type: 'file', file },
      ],
    },
  ],
});
const responsesBody = (file: Record<string, unknown>) => ({
  model: 'alias',
  input: [
    {
      role: 'user',
      content: [
        { type: 'input_text', text: 'Summarise this' },
        { type: 'input_file', ...file },
      ],
    },
  ],
});
const anthropicBody = (document: Record<string, unknown>) => ({
  model: 'alias',
  max_tokens: 100,
  messages: [
    {
      role: 'user',
      content: [
        { type: 'document', ...document },
        { type: 'text', text: 'Summarise this' },
      ],
    },
  ],
});

/** The user message's content as each upstream wire holds it. */
const chatContent = (body: Record<string, unknown>) =>
  (body.messages as Array<{ content: unknown }>).at(-1)?.content;
const responsesContent = (body: Record<string, unknown>) =>
  (body.input as Array<{ content: unknown }>).at(-1)?.content;
const anthropicContent = (body: Record<string, unknown>) =>
  (body.messages as Array<{ content: unknown }>).at(-1)?.content;
const geminiParts = (body: Record<string, unknown>) =>
  (body.contents as Array<{ parts: unknown }>).at(-1)?.parts;
const converseContent = (body: Record<string, unknown>) =>
  (body.messages as Array<{ content: unknown }>).at(-1)?.content;

describe.each([false, true])('stream: %s', (stream) => {
  describe('Chat `file` (file_data data URL)', () => {
    const body = chatBody({ filename: 'report.pdf', file_data: PDF_URL });

    test('→ Anthropic: a base64 PDF document, titled by its file name', () => {
      const { upstream, warnings } = translate(openaiChat, anthropicMessages, body, stream);
      expect(anthropicContent(upstream)).toEqual([
        { type: 'text', text: 'Summarise this' },
        {
          type: 'document',
          source: { type: 'base64', media_type: 'application/pdf', data: PDF },
          title: 'report.pdf',
        },
      ]);
      expect(warnings).toEqual([]);
    });

    test('→ Responses: input_file with file_data and filename', () => {
      const { upstream, warnings } = translate(openaiChat, openaiResponses, body, stream);
      expect(responsesContent(upstream)).toEqual([
        { type: 'input_text', text: 'Summarise this' },
        { type: 'input_file', filename: 'report.pdf', file_data: PDF_URL },
      ]);
      expect(warnings).toEqual([]);
    });

    test('→ Gemini: inlineData', () => {
      const { upstream } = translate(openaiChat, geminiDialect, body, stream);
      expect(geminiParts(upstream)).toEqual([
        { text: 'Summarise this' },
        { inlineData: { mimeType: 'application/pdf', data: PDF } },
      ]);
    });

    test('→ Converse: a document block named from the file (letters, digits, spaces, hyphens)', () => {
      const { upstream } = translate(openaiChat, bedrockConverse, body, stream);
      expect(converseContent(upstream)).toEqual([
        { text: 'Summarise this' },
        { document: { format: 'pdf', name: 'report', source: { bytes: PDF } } },
      ]);
    });

    test('→ Ollama: refused, 400 naming the document (it reads no PDFs)', () => {
      expect(refusal(openaiChat, ollamaChat, body).message).toBe(
        "the document 'report.pdf' (application/pdf) cannot be sent: Ollama takes no documents; without it the request would ask something else",
      );
    });

    test('a file_id names OpenAI storage: untranslatable, 400 naming the field', () => {
      const { request } = openaiChat.parseRequest(chatBody({ file_id: 'file-abc' }));
      expect(request.untranslatable).toBe(
        "messages[0].content[1].file.file_id: 'file-abc' names a file in OpenAI's file store, which only an OpenAI-dialect upstream can read",
      );
      expect(refusal(openaiChat, anthropicMessages, chatBody({ file_id: 'file-abc' })).message).toMatch(
        /^messages\[0\]\.content\[1\]\.file\.file_id/,
      );
    });
  });

  describe('Anthropic `document`', () => {
    test('base64 PDF with title and context → Chat file (title and context dropped, named)', () => {
      const body = anthropicBody({
        source: { type: 'base64', media_type: 'application/pdf', data: PDF },
        title: 'Q3',
        context: 'Board pack',
      });
      const { upstream, warnings } = translate(anthropicMessages, openaiChat, body, stream);
      expect(chatContent(upstream)).toEqual([
        { type: 'file', file: { filename: 'document.pdf', file_data: PDF_URL } },
        { type: 'text', text: 'Summarise this' },
      ]);
      expect(warnings).toEqual([
        "a document's title is dropped: OpenAI files have none",
        "a document's context is dropped: OpenAI files have none",
      ]);
    });

    test('a plain-text source → text for Chat and Responses, a txt document for Converse, text for Ollama', () => {
      const body = anthropicBody({
        source: { type: 'text', media_type: 'text/plain', data: 'Minutes: all agreed.' },
      });
      expect(chatContent(translate(anthropicMessages, openaiChat, body, stream).upstream)).toEqual([
        { type: 'text', text: 'Minutes: all agreed.' },
        { type: 'text', text: 'Summarise this' },
      ]);
      expect(responsesContent(translate(anthropicMessages, openaiResponses, body, stream).upstream)).toEqual([
        { type: 'input_text', text: 'Minutes: all agreed.' },
        { type: 'input_text', text: 'Summarise this' },
      ]);
      expect(converseContent(translate(anthropicMessages, bedrockConverse, body, stream).upstream)).toEqual([
        { document: { format: 'txt', name: 'document', source: { bytes: btoa('Minutes: all agreed.') } } },
        { text: 'Summarise this' },
      ]);
      expect(chatContent(translate(anthropicMessages, ollamaChat, body, stream).upstream)).toBe(
        'Minutes: all agreed.\nSummarise this',
      );
    });

    test('a URL source → Responses file_url and Gemini fileData; Chat and Converse refuse it (400)', () => {
      const body = anthropicBody({ source: { type: 'url', url: 'https://example.com/a.pdf' } });
      expect(responsesContent(translate(anthropicMessages, openaiResponses, body, stream).upstream)).toEqual([
        { type: 'input_file', file_url: 'https://example.com/a.pdf' },
        { type: 'input_text', text: 'Summarise this' },
      ]);
      expect(geminiParts(translate(anthropicMessages, geminiDialect, body, stream).upstream)).toEqual([
        { fileData: { fileUri: 'https://example.com/a.pdf', mimeType: 'application/pdf' } },
        { text: 'Summarise this' },
      ]);
      expect(refusal(anthropicMessages, openaiChat, body).message).toBe(
        'the document (https://example.com/a.pdf) cannot be sent: Chat Completions takes file data, not file URLs; without it the request would ask something else',
      );
      expect(refusal(anthropicMessages, bedrockConverse, body).message).toMatch(
        /Converse takes document bytes/,
      );
    });

    test('a Files API source cannot cross: untranslatable, 400 naming the block', () => {
      const body = anthropicBody({ source: { type: 'file', file_id: 'file_011' } });
      expect(refusal(anthropicMessages, openaiChat, body).message).toMatch(
        /^messages\.0\.content\.0\.source: a document given by file_id/,
      );
    });
  });

  describe('Responses `input_file`', () => {
    test('file_data + filename → Anthropic document and Gemini inlineData', () => {
      const body = responsesBody({ filename: 'report.pdf', file_data: PDF_URL });
      expect(anthropicContent(translate(openaiResponses, anthropicMessages, body, stream).upstream)).toEqual([
        { type: 'text', text: 'Summarise this' },
        {
          type: 'document',
          source: { type: 'base64', media_type: 'application/pdf', data: PDF },
          title: 'report.pdf',
        },
      ]);
      expect(geminiParts(translate(openaiResponses, geminiDialect, body, stream).upstream)).toEqual([
        { text: 'Summarise this' },
        { inlineData: { mimeType: 'application/pdf', data: PDF } },
      ]);
    });

    test('file_url → an Anthropic URL document', () => {
      const body = responsesBody({ file_url: 'https://example.com/a.pdf' });
      expect(anthropicContent(translate(openaiResponses, anthropicMessages, body, stream).upstream)).toEqual([
        { type: 'text', text: 'Summarise this' },
        { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
      ]);
    });

    test('file_id → untranslatable, 400 naming the field', () => {
      const body = responsesBody({ file_id: 'file-abc' });
      expect(refusal(openaiResponses, anthropicMessages, body).message).toMatch(
        /^input\[0\]\.content\[1\]\.file_id/,
      );
    });
  });

  describe('Gemini `inlineData` / `fileData`', () => {
    const geminiBody = (part: Record<string, unknown>) => ({
      model: 'alias',
      contents: [{ role: 'user', parts: [part, { text: 'Summarise this' }] }],
    });

    test('a PDF inlineData → Chat file, Anthropic document', () => {
      const body = geminiBody({ inlineData: { mimeType: 'application/pdf', data: PDF } });
      expect(chatContent(translate(geminiDialect, openaiChat, body, stream).upstream)).toEqual([
        { type: 'file', file: { filename: 'document.pdf', file_data: PDF_URL } },
        { type: 'text', text: 'Summarise this' },
      ]);
      expect(anthropicContent(translate(geminiDialect, anthropicMessages, body, stream).upstream)).toEqual([
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF } },
        { type: 'text', text: 'Summarise this' },
      ]);
    });

    test('a base64 text file → an Anthropic plain-text document (decoded)', () => {
      const body = geminiBody({ inlineData: { mimeType: 'text/markdown', data: btoa('# Notes') } });
      expect(anthropicContent(translate(geminiDialect, anthropicMessages, body, stream).upstream)).toEqual([
        { type: 'document', source: { type: 'text', media_type: 'text/plain', data: '# Notes' } },
        { type: 'text', text: 'Summarise this' },
      ]);
    });
  });

  test('a type Anthropic does not read (Word) is refused toward Anthropic, sent to Converse as docx', () => {
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    const body = chatBody({ filename: 'plan v2.docx', file_data: `data:${docx};base64,UEsDBA==` });
    expect(refusal(openaiChat, anthropicMessages, body).message).toBe(
      `the document 'plan v2.docx' (${docx}) cannot be sent: Anthropic reads PDF and plain-text documents only; without it the request would ask something else`,
    );
    expect(converseContent(translate(openaiChat, bedrockConverse, body, stream).upstream)).toEqual([
      { text: 'Summarise this' },
      { document: { format: 'docx', name: 'plan v2', source: { bytes: 'UEsDBA==' } } },
    ]);
  });
});
