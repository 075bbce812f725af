// The fake upstream's vocabulary. Token i of every response is VOCABULARY[i % length], so a client can
// rebuild the exact text it should have received and check a stream arrived intact. The list carries a
// quote, a backslash and non-ASCII text so that escaping and UTF-8 splitting through the proxy are checked too.
export const VOCABULARY = Object.freeze([
  ' The',
  ' quick',
  ' brown',
  ' fox',
  ' jumps',
  ' over',
  ' the',
  ' lazy',
  ' dog',
  ' "quoted"',
  ' back\\slash',
  ' naïve',
  ' café',
  ' 東京',
  ' emoji🙂',
  ' end.',
]);

const expectedCache = new Map();

/** The text a response of `tokens` tokens must reassemble to. */
export function expectedText(tokens) {
  let text = expectedCache.get(tokens);
  if (text === undefined) {
    const parts = new Array(tokens);
    for (let i = 0; i < tokens; i++) parts[i] = VOCABULARY[i % VOCABULARY.length];
    text = parts.join('');
    if (expectedCache.size > 64) expectedCache.clear();
    expectedCache.set(tokens, text);
  }
  return text;
}
