/** A test-local Provider that serves scripted canonical events, for pipeline tests that need full control. */
import type {
  CallContext,
  CanonicalRequest,
  CanonicalResponse,
  DialectName,
  Provider,
  ProviderError,
  ProviderHealth,
  StreamEvent,
} from '@tokenpak/providers';
import type { ProviderLookup } from '../../src/registry-types.ts';

export interface FakeProviderOptions {
  dialect?: DialectName | null;
  supportsStreaming?: boolean;
  /** The stream to serve; default: textEvents of 'Hello world'. */
  stream?: (request: CanonicalRequest, context: CallContext) => ReadableStream<StreamEvent>;
  response?: CanonicalResponse;
  /** Reject before the first byte. */
  fail?: ProviderError;
  health?: ProviderHealth;
}

export interface FakeProvider extends Provider {
  calls: Array<{ request: CanonicalRequest; context: CallContext; kind: 'stream' | 'complete' }>;
}

export function textEvents(
  pieces: string[],
  usage = { inputTokens: 3, outputTokens: pieces.length },
): StreamEvent[] {
  return [
    { type: 'message-start', id: 'msg_1', model: 'fake-model' },
    { type: 'block-start', index: 0, block: { type: 'text' } },
    ...pieces.map((text): StreamEvent => ({ type: 'text-delta', index: 0, text })),
    { type: 'block-stop', index: 0 },
    { type: 'usage', usage },
    { type: 'finish', reason: 'stop', usage },
  ];
}

export function streamOf(events: StreamEvent[]): ReadableStream<StreamEvent> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < events.length) controller.enqueue(events[i++] as StreamEvent);
      else controller.close();
    },
  });
}

export function fakeProvider(name: string, options: FakeProviderOptions = {}): FakeProvider {
  const calls: FakeProvider['calls'] = [];
  return {
    name,
    type: 'fake',
    dialect: options.dialect ?? null,
    supportsStreaming: options.supportsStreaming ?? true,
    calls,
    async stream(request, context) {
      calls.push({ request, context, kind: 'stream' });
      if (options.fail) throw options.fail;
      return options.stream ? options.stream(request, context) : streamOf(textEvents(['Hello', ' world']));
    },
    async complete(request, context) {
      calls.push({ request, context, kind: 'complete' });
      if (options.fail) throw options.fail;
      return (
        options.response ?? {
          id: 'msg_1',
          model: 'fake-model',
          content: [{ type: 'text', text: 'Hello world' }],
          finishReason: 'stop',
          usage: { inputTokens: 3, outputTokens: 2 },
        }
      );
    },
    health: () => options.health ?? { state: 'ok' },
  };
}

export function registryOf(...providers: Provider[]): ProviderLookup {
  const byName = new Map(providers.map((p) => [p.name, p]));
  return { get: (name) => byName.get(name), names: () => [...byName.keys()] };
}
