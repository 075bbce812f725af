// `--workers=N` and `--workers=1,2`: the proxy's `server.workers`. The bench only writes the value into the
// proxy's config; running the workers is TokenPak's job. A TokenPak whose config does not know the key yet
// rejects it, and the bench then says so and runs without it.

/**
 * @param {string | undefined} text e.g. "2", "1,2", "auto"
 * @returns {Array<number | 'auto'> | null} null when the flag was not given
 */
export function parseWorkersOption(text) {
  if (text === undefined) return null;
  const counts = text.split(',').map((item) => item.trim());
  return counts.map((item) => {
    if (item === 'auto') return 'auto';
    const n = Number(item);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`--workers=${text}: expected whole numbers ≥ 1 or auto`);
    return n;
  });
}

/**
 * Checks each count against TokenPak's own config parser, loaded only when --workers is given (in a shared
 * checkout its dist/ may be mid-rebuild; the proxy child retries that, the bench should not need it).
 * @param {Array<number | 'auto'>} counts
 * @param {(workers: number | 'auto') => string} yamlFor the proxy's config with `server.workers` set
 * @param {(text: string, options: object) => { ok: boolean, errors?: Array<{ path: string, message: string }> }} [parse]
 *   TokenPak's parser (a stand-in in tests)
 * @returns {Promise<{ ok: true } | { ok: false, message: string }>}
 */
export async function checkWorkersConfig(counts, yamlFor, parse) {
  parse ??= (await import('@tokenpak/config')).parseConfig;
  for (const workers of counts) {
    const parsed = parse(yamlFor(workers), { env: {} });
    if (parsed.ok === false) {
      const issue =
        parsed.errors.find((entry) => entry.path.startsWith('server.workers')) ?? parsed.errors[0];
      return { ok: false, message: `${issue.path}: ${issue.message}` };
    }
  }
  return { ok: true };
}

/**
 * What a workers run shows about the process tree: N workers should be N processes (or N + 1 with a primary).
 * @param {number | 'auto'} workers @param {number} processes
 */
export function workersNote(workers, processes) {
  if (workers === 1 || processes > 1) return null;
  return `server.workers ${workers} was accepted, but the proxy ran as one process: the bench's proxy is createGateway + serve() from @tokenpak/server/node, and serve() starts no workers (the CLI's proxy command does)`;
}
