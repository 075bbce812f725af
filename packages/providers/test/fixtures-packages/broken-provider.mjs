// Its factory returns something that is not a provider.
export default function createProvider({ name }) {
  return { name, type: 'custom', dialect: 'klingon', supportsStreaming: true, complete: 'soon' };
}
