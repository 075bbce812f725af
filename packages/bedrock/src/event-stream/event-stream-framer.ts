/**
 * AWS event-stream bytes (`application/vnd.amazon.eventstream`) → messages, as a kit `Framer`: the kit's
 * `decodeFramedStream` feeds it network chunks, which may cut a frame anywhere or hold several.
 *
 * A frame is: total length (uint32 BE), headers length (uint32 BE), prelude CRC32, headers, payload, message
 * CRC32. This framer only finds frame boundaries (the first four bytes say how long a frame is) and holds the
 * bytes of an incomplete one; checking the CRCs and parsing the headers is `EventStreamCodec.decode`, AWS's
 * own codec (not re-implemented here).
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { ProviderError } from '@tokenpak/provider';
import type { Framer } from '@tokenpak/provider-utils';

/** One decoded frame: its headers by name (values unwrapped from their tagged types), and its payload. */
export interface EventStreamMessage {
  headers: Record<string, unknown>;
  body: Uint8Array;
}

/** Prelude (8) + prelude CRC (4) + message CRC (4): no frame is shorter. */
const MIN_FRAME = 16;
/** AWS caps an event-stream message at 16 MiB; a larger length is garbage, not a frame to wait for. */
const MAX_FRAME = 16 * 1024 * 1024;

/** The input ended inside a frame (the connection was cut mid-frame). */
export class TruncatedFrameError extends Error {
  override readonly name = 'TruncatedFrameError';
}

/** A frame that cannot be decoded: an impossible length, or a CRC or header the codec rejects. */
export class BadFrameError extends Error {
  override readonly name = 'BadFrameError';
}

/** The first four bytes held, read across chunk boundaries, as a big-endian uint32. */
function peekLength(parts: readonly Uint8Array[]): number {
  let value = 0;
  let taken = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length && taken < 4; i++, taken++) value = value * 256 + (part[i] as number);
    if (taken === 4) break;
  }
  return value;
}

/** The held parts as one buffer (no copy when there is only one). */
function joined(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function eventStreamFramer(): Framer<EventStreamMessage> {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  /** Bytes received and not yet framed, in order (kept as chunks until a whole frame is there). */
  let parts: Uint8Array[] = [];
  let held = 0;

  const decode = (frame: Uint8Array): EventStreamMessage => {
    let message: ReturnType<EventStreamCodec['decode']>;
    try {
      message = codec.decode(frame);
    } catch (cause) {
      throw new BadFrameError((cause as Error).message, { cause });
    }
    const headers: Record<string, unknown> = {};
    for (const [name, header] of Object.entries(message.headers)) headers[name] = header.value;
    return { headers, body: message.body };
  };

  return {
    feed(chunk, push) {
      if (chunk.length === 0) return;
      parts.push(chunk);
      held += chunk.length;
      while (held >= 4) {
        const length = peekLength(parts);
        if (length < MIN_FRAME || length > MAX_FRAME) {
          throw new BadFrameError(`a frame length of ${length} bytes (frames are 16 bytes to 16 MiB)`);
        }
        if (held < length) return;
        const bytes = joined(parts, held);
        // The codec reads the frame through a DataView: hand it exactly the frame's bytes.
        const message = decode(bytes.subarray(0, length));
        parts = held > length ? [bytes.subarray(length)] : [];
        held -= length;
        push(message);
      }
    },
    end() {
      if (held === 0) return;
      const expected = held >= 4 ? ` of ${peekLength(parts)}` : '';
      parts = [];
      const got = held;
      held = 0;
      throw new TruncatedFrameError(`the stream ended inside a frame (${got}${expected} bytes received)`);
    },
    errorFor(cause, provider) {
      if (cause instanceof TruncatedFrameError) {
        return new ProviderError({
          type: 'network',
          provider,
          message: `upstream ${provider} (bedrock) closed the stream early: ${cause.message}`,
          cause,
        });
      }
      if (cause instanceof BadFrameError) {
        return new ProviderError({
          type: 'bad_upstream',
          provider,
          message: `upstream ${provider} (bedrock) sent an event-stream frame that cannot be decoded: ${cause.message}`,
          cause,
        });
      }
      return undefined;
    },
  };
}
