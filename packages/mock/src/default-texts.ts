/** The mock's built-in answers: deterministic, about API proxies, long enough to watch them stream. */

export const DEFAULT_TEXT =
  'An API proxy sits between your application and the model providers. It forwards each request, ' +
  'translates between wire formats, and streams tokens back the moment they arrive, so the first words ' +
  'appear long before the answer is complete. This reply comes from the TokenPak mock provider: it needs ' +
  'no network and no API key. Set `responses`, `echo` or `tool_call` on the provider to change it.';

/** 5-7-5, for "Write a haiku about API proxies". */
export const HAIKU_TEXT = 'Requests cross the bridge\ntokens fall like patient rain\nthe proxy stays calm';

/** The built-in answer for a prompt: a haiku when one is asked for, counting for "count to N", else the default. */
export function builtInText(prompt: string): string {
  if (/\bhaiku\b/i.test(prompt)) return HAIKU_TEXT;
  const count = /\bcount to (\d{1,3})\b/i.exec(prompt);
  if (count) {
    const n = Math.max(1, Number(count[1]));
    return `${Array.from({ length: n }, (_, i) => String(i + 1)).join(', ')}.`;
  }
  return DEFAULT_TEXT;
}
