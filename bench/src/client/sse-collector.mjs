// Reads an SSE response as it arrives, just enough to know what the user would see: when the first content
// delta came, the text, how many events, and whether the stream ended properly in its dialect.
import { StringDecoder } from 'node:string_decoder';

export class SseCollector {
  /**
   * @param {string} dialect 'openai' or 'anthropic'
   * @param {() => void} onFirstContent called once, when the first non-empty text delta is parsed
   */
  constructor(dialect, onFirstContent) {
    this.dialect = dialect;
    this.onFirstContent = onFirstContent;
    this.decoder = new StringDecoder('utf8');
    this.pending = '';
    this.text = '';
    this.events = 0;
    this.contentEvents = 0;
    this.done = false;
    this.finish = null;
    this.error = null;
  }

  /** @param {Buffer} chunk */
  push(chunk) {
    let input = this.decoder.write(chunk);
    if (input.includes('\r')) input = input.replace(/\r\n?/g, '\n');
    const buffer = this.pending.length === 0 ? input : this.pending + input;
    let start = 0;
    let end = buffer.indexOf('\n\n', start);
    while (end !== -1) {
      this.event(buffer, start, end);
      start = end + 2;
      end = buffer.indexOf('\n\n', start);
    }
    this.pending = start === 0 ? buffer : buffer.slice(start);
  }

  end() {
    const rest = this.pending + this.decoder.end();
    if (rest.trim().length > 0) this.event(rest, 0, rest.length);
    this.pending = '';
  }

  /** True when the stream ended the way its dialect says a finished answer ends. */
  get complete() {
    return this.done && this.finish !== null && this.error === null;
  }

  event(buffer, start, end) {
    this.events++;
    let data = null;
    let lineStart = start;
    while (lineStart < end) {
      let lineEnd = buffer.indexOf('\n', lineStart);
      if (lineEnd === -1 || lineEnd > end) lineEnd = end;
      if (buffer.startsWith('data:', lineStart)) {
        const from = buffer.charCodeAt(lineStart + 5) === 32 ? lineStart + 6 : lineStart + 5;
        const line = buffer.slice(from, lineEnd);
        data = data === null ? line : data + '\n' + line;
      }
      lineStart = lineEnd + 1;
    }
    if (data === null) return; // a comment (heartbeat) or an event with no data
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    let value;
    try {
      value = JSON.parse(data);
    } catch {
      this.error = `unparseable event: ${data.slice(0, 120)}`;
      return;
    }
    if (this.dialect === 'openai') this.openai(value);
    else this.anthropic(value);
  }

  openai(value) {
    if (value.error) {
      this.error = value.error.message ?? 'error event';
      return;
    }
    const choice = value.choices?.[0];
    if (choice === undefined) return;
    const content = choice.delta?.content;
    if (typeof content === 'string' && content.length > 0) this.content(content);
    if (choice.finish_reason) this.finish = choice.finish_reason;
  }

  anthropic(value) {
    switch (value.type) {
      case 'content_block_delta':
        if (value.delta?.type === 'text_delta' && value.delta.text.length > 0) this.content(value.delta.text);
        break;
      case 'message_delta':
        if (value.delta?.stop_reason) this.finish = value.delta.stop_reason;
        break;
      case 'message_stop':
        this.done = true;
        break;
      case 'error':
        this.error = value.error?.message ?? 'error event';
        break;
    }
  }

  content(text) {
    if (this.contentEvents === 0) this.onFirstContent();
    this.contentEvents++;
    this.text += text;
  }
}
