import { describe, expect, test } from 'vitest';
import {
  byteStream,
  decodeBytes,
  fixtureNames,
  oneBytePerChunk,
  type Reassembled,
  readFixture,
  reassemble,
} from './support.ts';

const SF = 'San Francisco';

/** What each recording says, read off the recordings themselves (see the fixtures README). */
const EXPECTED: Record<string, (r: Reassembled) => void> = {
  'text.sse': (r) => {
    expect(r.id).toBe('msg_01XbRN6xwSPSLv6pWtB15EZs');
    expect(r.model).toBe('claude-3-5-haiku-20241022');
    expect(r.blocks).toEqual([
      {
        index: 0,
        type: 'text',
        text: `The current temperature in ${SF} is 72°F. It sounds like a pleasant day! Is there anything else I can help you with?`,
      },
    ]);
    expect(r.finish).toEqual({
      reason: 'stop',
      usage: { inputTokens: 457, outputTokens: 33, cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
  },
  'text-structured-output.sse': (r) => {
    expect(r.blocks).toEqual([{ index: 0, type: 'text', text: '[12345,67890]' }]);
    expect(JSON.parse((r.blocks[0] as { text: string }).text)).toEqual([12345, 67890]);
    expect(r.finish?.reason).toBe('stop');
    expect(r.finish?.usage).toMatchObject({ inputTokens: 135, outputTokens: 10 });
  },
  'tool-use.sse': (r) => {
    expect(r.blocks.map((b) => b.type)).toEqual(['text', 'tool-call']);
    expect(r.blocks[0]).toMatchObject({
      text: expect.stringMatching(/^I'll help you find out .* information\.$/),
    });
    expect(r.blocks[1]).toEqual({
      index: 1,
      type: 'tool-call',
      id: 'toolu_01Lfr3kUnHMZApePPRWMv1uS',
      name: 'get_current_temperature',
      input: { city: SF },
    });
    expect(r.finish).toMatchObject({ reason: 'tool-calls', usage: { inputTokens: 351, outputTokens: 85 } });
  },
  'tool-use-parallel.sse': (r) => {
    expect(r.blocks.map((b) => b.type)).toEqual(['text', 'tool-call', 'tool-call']);
    expect(r.blocks.slice(1)).toEqual([
      {
        index: 1,
        type: 'tool-call',
        id: 'toolu_01QYZ2sgjBq1oG8iryEt8QjR',
        name: 'get_weather',
        input: { location: `${SF}, CA`, units: 'c' },
      },
      {
        index: 2,
        type: 'tool-call',
        id: 'toolu_01Lu9hbRKgrZqvHFutZxCNnZ',
        name: 'get_weather',
        input: { location: `${SF}, CA`, units: 'f' },
      },
    ]);
    expect(r.finish).toMatchObject({ reason: 'tool-calls', usage: { inputTokens: 473, outputTokens: 176 } });
  },
  'thinking.sse': (r) => {
    expect(r.blocks.map((b) => b.type)).toEqual(['reasoning', 'text']);
    const thinking = r.blocks[0] as { text: string; signature: string };
    expect(thinking.text).toBe(
      'This is a straightforward question about pedestrian safety. I should provide clear, helpful advice about' +
        ' how to safely cross a street. This is basic safety information that could help prevent accidents.',
    );
    expect(thinking.signature).toMatch(/^EvMCCkYICxgCKkCHP2cS[A-Za-z0-9+/]+=*$/);
    expect(thinking.signature).toHaveLength(504);
    const text = (r.blocks[1] as { text: string }).text;
    expect(text.startsWith('Here are the basic steps for safely crossing the street:\n\n')).toBe(true);
    expect(text.endsWith('Always prioritize safety over speed when crossing streets.')).toBe(true);
    expect(r.finish).toMatchObject({ reason: 'stop', usage: { inputTokens: 43, outputTokens: 282 } });
  },
  'redacted-thinking.sse': (r) => {
    expect(r.blocks.map((b) => b.type)).toEqual(['redacted-reasoning', 'redacted-reasoning', 'text']);
    const [a, b] = r.blocks as Array<{ data: string }>;
    expect(a!.data.startsWith('EqkECkYIBxgCKkA8AZ4n')).toBe(true);
    expect(a!.data).toHaveLength(744);
    expect(b!.data.startsWith('EtgBCkYIBxgCKkDQfGkw')).toBe(true);
    expect(b!.data).toHaveLength(296);
    expect((r.blocks[2] as { text: string }).text).toContain('any special "magic string" triggers');
    expect(r.finish).toMatchObject({ reason: 'stop', usage: { inputTokens: 92, outputTokens: 189 } });
  },
};

describe('decodeStream replays every Anthropic recording', () => {
  test('every recording has expectations', () => {
    expect(fixtureNames()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const name of fixtureNames()) {
    test(`${name}: content, usage and stop reason`, async () => {
      const events = await decodeBytes(byteStream([readFixture(name)]));
      const r = reassemble(events);
      expect(r.problems).toEqual([]);
      expect(r.error).toBeUndefined();
      expect(events[0]?.type).toBe('message-start');
      expect(events.at(-1)?.type).toBe('finish');
      EXPECTED[name]!(r);
    });

    test(`${name}: one byte per chunk and CRLF line endings give identical events`, async () => {
      const wire = readFixture(name);
      const whole = await decodeBytes(byteStream([wire]));
      const bytewise = await decodeBytes(byteStream(oneBytePerChunk(wire)));
      const crlf = await decodeBytes(byteStream([wire.replaceAll('\n', '\r\n')]));
      const crlfBytewise = await decodeBytes(byteStream(oneBytePerChunk(wire.replaceAll('\n', '\r\n'))));
      expect(bytewise).toEqual(whole);
      expect(crlf).toEqual(whole);
      expect(crlfBytewise).toEqual(whole);
    });
  }
});

describe('decodeStream wire details', () => {
  test('the space padding before closing braces parses (the recordings have it)', async () => {
    const wire = readFixture('text.sse');
    expect(wire).toMatch(/"index":0 {2,}}/);
    const events = await decodeBytes(byteStream([wire]));
    expect(events.filter((e) => e.type === 'block-stop')).toEqual([{ type: 'block-stop', index: 0 }]);
  });

  test('message_start usage is reported at once; message_delta usage follows as a usage event', async () => {
    const events = await decodeBytes(byteStream([readFixture('text.sse')]));
    expect(events[0]).toEqual({
      type: 'message-start',
      id: 'msg_01XbRN6xwSPSLv6pWtB15EZs',
      model: 'claude-3-5-haiku-20241022',
      usage: { inputTokens: 457, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
    expect(events.filter((e) => e.type === 'usage')).toEqual([
      {
        type: 'usage',
        usage: { inputTokens: 457, outputTokens: 33, cacheReadTokens: 0, cacheWriteTokens: 0 },
      },
    ]);
  });

  test('cached input tokens count in canonical inputTokens', async () => {
    const wire =
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"m","usage":' +
      '{"input_tokens":10,"cache_read_input_tokens":1000,"cache_creation_input_tokens":50,"output_tokens":1}}}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},' +
      '"usage":{"output_tokens":7}}\n\n' +
      'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    const r = reassemble(await decodeBytes(byteStream([wire])));
    expect(r.finish).toEqual({
      reason: 'length',
      usage: { inputTokens: 1060, outputTokens: 7, cacheReadTokens: 1000, cacheWriteTokens: 50 },
    });
  });

  test('stop_sequence is carried with the finish', async () => {
    const wire =
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":3,"output_tokens":1}}}\n\n' +
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n' +
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"1, 2"}}\n\n' +
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":", 3"},"usage":{"output_tokens":4}}\n\n' +
      'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    const r = reassemble(await decodeBytes(byteStream([wire])));
    expect(r.finish).toMatchObject({ reason: 'stop-sequence', stopSequence: ', 3' });
  });

  // No genuine recording exists (see the fixtures README): built from the documented payload shape.
  test('event: error mid-stream (overloaded_error) ends the stream with a retryable 529', async () => {
    const head = readFixture('text.sse').split('event: content_block_stop')[0]!;
    const wire =
      head +
      'event: error\ndata: {"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"}      }\n\n';
    const events = await decodeBytes(byteStream([wire]));
    const r = reassemble(events);
    expect(r.problems).toEqual([]);
    expect(r.error).toEqual({ type: 'overloaded', status: 529, message: 'Overloaded', retryable: true });
    expect(r.finish).toBeUndefined();
    expect((r.blocks[0] as { text: string }).text).toMatch(/^The current temperature/);
    // Same result byte by byte.
    expect(await decodeBytes(byteStream(oneBytePerChunk(wire)))).toEqual(events);
  });

  test('other error types map to their canonical type and status', async () => {
    const wire =
      'event: error\ndata: {"type":"error","error":{"type":"rate_limit_error","message":"Slow down"}}\n\n';
    const r = reassemble(await decodeBytes(byteStream([wire])));
    expect(r.error).toEqual({ type: 'rate_limit', status: 429, message: 'Slow down', retryable: true });
  });

  test('a stream cut before message_stop ends with a network error', async () => {
    const wire = readFixture('tool-use.sse').split('event: message_delta')[0]!;
    const r = reassemble(await decodeBytes(byteStream([wire])));
    expect(r.error).toMatchObject({ type: 'network', status: 502, retryable: true });
    expect(r.blocks).toHaveLength(2);
  });

  test('a data line that is not JSON ends the stream with bad_upstream, and nothing follows', async () => {
    const text = readFixture('text.sse');
    const cut = text.indexOf('event: content_block_delta');
    const wire = `${text.slice(0, cut)}event: content_block_delta\ndata: {"type":"content_blo\n\n${text.slice(cut)}`;
    const events = await decodeBytes(byteStream([wire]));
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'bad_upstream', status: 502 } });
    expect(events.filter((e) => e.type === 'error')).toHaveLength(1);
    expect(events.some((e) => e.type === 'text-delta')).toBe(false);
  });

  test('server-tool blocks and citations deltas are left out; other blocks keep their Anthropic index', async () => {
    const wire = [
      '{"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":3,"output_tokens":1}}}',
      '{"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"query\\":\\"x\\"}"}}',
      '{"type":"content_block_stop","index":0}',
      '{"type":"content_block_start","index":1,"content_block":{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]}}',
      '{"type":"content_block_stop","index":1}',
      '{"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}',
      '{"type":"content_block_delta","index":2,"delta":{"type":"citations_delta","citation":{"type":"web_search_result_location","cited_text":"c"}}}',
      '{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Found it."}}',
      '{"type":"content_block_stop","index":2}',
      '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":9}}',
      '{"type":"message_stop"}',
    ]
      .map((data) => `event: ${JSON.parse(data).type}\ndata: ${data}\n\n`)
      .join('');
    const r = reassemble(await decodeBytes(byteStream([wire])));
    expect(r.problems).toEqual([]);
    expect(r.blocks).toEqual([{ index: 2, type: 'text', text: 'Found it.' }]);
    expect(r.finish?.reason).toBe('stop');
  });
});
