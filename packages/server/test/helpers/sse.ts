/** Test-side parsing of what the proxy wrote: SSE events (with their id) and NDJSON lines. */
export interface ParsedSse {
  event?: string;
  id?: string;
  data: string;
}

export function parseSseText(text: string): { events: ParsedSse[]; comments: string[] } {
  const events: ParsedSse[] = [];
  const comments: string[] = [];
  for (const block of text.split('\n\n')) {
    if (block.trim() === '') continue;
    let event: string | undefined;
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
      else throw new Error(`unexpected SSE line: ${JSON.stringify(line)}`);
    }
    if (data.length > 0) events.push({ event, id, data: data.join('\n') });
  }
  return { events, comments };
}

/** Joins the text of Anthropic `text_delta`s. */
export function anthropicText(events: ParsedSse[]): string {
  let text = '';
  for (const e of events) {
    const data = JSON.parse(e.data);
    if (data.type === 'content_block_delta' && data.delta.type === 'text_delta') text += data.delta.text;
  }
  return text;
}

/** Joins the text of OpenAI chunks' `delta.content`. */
export function openaiText(events: ParsedSse[]): string {
  let text = '';
  for (const e of events) {
    if (e.data === '[DONE]') continue;
    const data = JSON.parse(e.data);
    const content = data.choices?.[0]?.delta?.content;
    if (typeof content === 'string') text += content;
  }
  return text;
}

/** The text a recorded fixture carries (for comparing what came through the proxy). */
export function fixtureText(raw: string, dialect: 'openai' | 'anthropic'): string {
  const { events } = parseSseText(
    raw
      .replace(/\r\n/g, '\n')
      .split('\n')
      .filter((line) => line === '' || line.startsWith('data: ') || line.startsWith('event: '))
      .join('\n'),
  );
  return dialect === 'openai' ? openaiText(events) : anthropicText(events);
}
