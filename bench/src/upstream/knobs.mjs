// Per-request knobs travel inside the last user message ("bench tokens=200 ttft=0 gap=0"), because message
// text is the one thing every dialect translation keeps: the same request works sent directly and through
// the proxy, in either client dialect.

const KNOBS = /bench tokens=(\d+) ttft=(\d+) gap=(\d+)/;

/** @param {{ tokens: number, ttftMs?: number, gapMs?: number }} knobs */
export function knobsPrompt({ tokens, ttftMs = 0, gapMs = 0 }) {
  return `bench tokens=${tokens} ttft=${ttftMs} gap=${gapMs}`;
}

/** Reads the knobs from a raw request body; defaults when the body carries none. */
export function parseKnobs(rawBody) {
  const match = KNOBS.exec(rawBody);
  if (!match) return { tokens: 16, ttftMs: 0, gapMs: 0 };
  return { tokens: Number(match[1]), ttftMs: Number(match[2]), gapMs: Number(match[3]) };
}
