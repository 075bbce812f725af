/**
 * An incremental Server-Sent Events parser, after the WHATWG HTML "event stream interpretation": lines end
 * in CRLF, LF or CR (also when a CRLF is split between two chunks), `:` lines are comments (heartbeats),
 * `data:` lines join with `\n`, one space after the colon is dropped, an event is dispatched on a blank
 * line, and an event left incomplete when the input ends is discarded. The BOM is the decoder's business.
 */
import { parseJson, type StreamEvent } from './events.ts';

export class SseParser {
  private buffer = '';
  /** The previous chunk ended in CR: a LF at the start of the next one belongs to it. */
  private skipLf = false;
  private data = '';
  private hasData = false;
  private eventName: string | undefined = undefined;
  private idBuffer: string | undefined;
  private ownId: string | undefined = undefined;
  /** The last event ID as of the last dispatched event (what `Last-Event-ID` carries on a reconnect). */
  lastEventId: string | undefined;

  constructor(lastEventId?: string) {
    this.lastEventId = lastEventId;
    this.idBuffer = lastEventId;
  }

  /** Feeds decoded text; returns the events it completes, in order. */
  push(text: string): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (text.length === 0) return out;
    let start = 0;
    if (this.skipLf) {
      this.skipLf = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    const length = text.length;
    let i = start;
    while (i < length) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) {
        i++;
        continue;
      }
      const line = this.buffer.length === 0 ? text.slice(start, i) : this.buffer + text.slice(start, i);
      this.buffer = '';
      this.line(line, out);
      if (c === 13) {
        if (i + 1 < length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLf = true;
        }
      }
      i++;
      start = i;
    }
    if (start < length) this.buffer += text.slice(start);
    return out;
  }

  /** Forgets a partly received event (the input ended); the last event ID stays. */
  reset(): void {
    this.buffer = '';
    this.skipLf = false;
    this.clearEvent();
    this.idBuffer = this.lastEventId;
  }

  private clearEvent(): void {
    this.data = '';
    this.hasData = false;
    this.eventName = undefined;
    this.ownId = undefined;
  }

  private line(line: string, out: StreamEvent[]): void {
    if (line.length === 0) {
      this.dispatch(out);
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) return; // a comment: `: ping`
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'data':
        this.data = this.hasData ? this.data + '\n' + value : value;
        this.hasData = true;
        return;
      case 'event':
        this.eventName = value;
        return;
      case 'id':
        if (value.indexOf('\u0000') === -1) {
          this.idBuffer = value;
          this.ownId = value;
        }
        return;
      default:
        return; // `retry` and unknown fields: ignored
    }
  }

  private dispatch(out: StreamEvent[]): void {
    this.lastEventId = this.idBuffer;
    if (!this.hasData) {
      this.clearEvent();
      return;
    }
    const event: StreamEvent = { data: this.data };
    if (this.ownId !== undefined && this.ownId !== '') {
      const id = Number(this.ownId);
      if (Number.isFinite(id)) event.id = id;
    }
    if (this.eventName !== undefined && this.eventName !== '') event.event = this.eventName;
    const json = parseJson(this.data);
    if (json !== undefined) event.json = json;
    out.push(event);
    this.clearEvent();
  }
}
