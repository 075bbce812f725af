// Exports its factory as `createProvider` (no default export).
export function createProvider({ name }) {
  return {
    name,
    type: 'custom',
    dialect: null,
    supportsStreaming: false,
    async complete(_request, context) {
      return { id: 'n-1', model: context.model, content: [], finishReason: 'stop', usage: {} };
    },
    async stream() {
      throw new Error('not streaming');
    },
  };
}
