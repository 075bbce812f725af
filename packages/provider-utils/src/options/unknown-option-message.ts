/**
 * The message for a misspelt or unknown provider option, for an options schema: a did-you-mean when a name is
 * close (the type's own options and the keys every provider entry has, so `timout_ms` finds `timeout_ms`, and
 * `latency` finds `latency_ms`), else the names the type takes. The path (`providers.<name>.<key>`) is added
 * by the registry and by `validate-config`.
 *
 *   unknownOptionMessage('greting', ['greeting', 'max_words'], 'echo')
 *     // "is not an option of type echo (did you mean 'greeting'?)"
 *   unknownOptionMessage('colour', ['greeting', 'max_words'], 'echo')
 *     // "is not an option of type echo; its options: greeting, max_words (besides the common ones: api_key, …)"
 */
import { COMMON_PROVIDER_KEYS } from '@tokenpak/provider';

/** The common keys a user writes (not `type` and `package`, which choose the type). */
const COMMON = COMMON_PROVIDER_KEYS.filter((key) => key !== 'type' && key !== 'package');

export function unknownOptionMessage(key: string, names: readonly string[], type?: string): string {
  const what = type === undefined ? 'is not an option' : `is not an option of type ${type}`;
  const candidates = [...names, ...COMMON];
  const close =
    closestName(key, candidates) ?? candidates.find((candidate) => candidate.startsWith(`${key}_`));
  if (close !== undefined) return `${what} (did you mean '${close}'?)`;
  const own = names.length === 0 ? 'it takes only the common ones' : `its options: ${names.join(', ')}`;
  return `${what}; ${own} (${names.length === 0 ? '' : 'besides the common ones: '}${COMMON.join(', ')})`;
}

/** The name nearest to `input` when it is near enough to be a likely typo (edit distance ≤ a third of it, ≤ 3). */
export function closestName(input: string, names: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(needle.length / 3)));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of names) {
    const distance = editDistance(needle, name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Insertions, deletions and substitutions; a swap of neighbours counts once. */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, before[j - 2]! + 1);
      row.push(best);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length]!;
}
