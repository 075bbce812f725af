// A tiny third-party provider package, loaded by relative path in registry.test.ts.
// It answers with the last user message in capitals; `greeting` is its own config option.

export default function createProvider({ name, config }) {
  const greeting = typeof config.greeting === 'string' ? config.greeting : 'HELLO';
  const closed = { value: false };
  const answer = (request) => {
    const last = request.messages.at(-1);
    const text = last?.content.find((part) => part.type === 'text')?.text ?? '';
    return `${greeting} ${text.toUpperCase()}`;
  };
  return {
    name,
    type: 'custom',
    dialect: null,
    supportsStreaming: true,
    closed,
    async complete(request, context) {
      return {
        id: 'shout-1',
        model: context.model,
        content: [{ type: 'text', text: answer(request) }],
        finishReason: 'stop',
        usage: {},
      };
    },
    async stream(request, context) {
      const text = answer(request);
      const events = [
        { type: 'message-start', id: 'shout-1', model: context.model },
        { type: 'block-start', index: 0, block: { type: 'text' } },
        { type: 'text-delta', index: 0, text },
        { type: 'block-stop', index: 0 },
        { type: 'finish', reason: 'stop', usage: {} },
      ];
      return new ReadableStream({
        start(controller) {
          for (const event of events) controller.enqueue(event);
          controller.close();
        },
      });
    },
    async close() {
      closed.value = true;
    },
  };
}
