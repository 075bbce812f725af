// The kernel's count of connections dropped because a listen queue was full (TcpExt ListenOverflows and
// ListenDrops in /proc/net/netstat). A burst that overflows a target's backlog turns into SYN retries a
// second or more later: that measures the kernel, not the target, so the burst scenario reads these
// counters before and after each run and says so when they moved. They count for the whole network
// namespace, so another program's overflow in the same second would show up too.
import { readFileSync } from 'node:fs';

/**
 * Parses /proc/net/netstat: pairs of lines, "TcpExt: Name Name …" then "TcpExt: 1 2 …".
 * @param {string} text
 * @returns {{ overflows: number, drops: number } | null}
 */
export function parseListenOverflows(text) {
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].startsWith('TcpExt:') || !lines[i + 1].startsWith('TcpExt:')) continue;
    const names = lines[i].split(/\s+/).slice(1);
    const values = lines[i + 1].split(/\s+/).slice(1).map(Number);
    const at = (name) => {
      const index = names.indexOf(name);
      return index >= 0 && Number.isFinite(values[index]) ? values[index] : null;
    };
    const overflows = at('ListenOverflows');
    const drops = at('ListenDrops');
    if (overflows === null || drops === null) return null;
    return { overflows, drops };
  }
  return null;
}

/** The counters now, or null where they cannot be read (not Linux). */
export function listenOverflows() {
  try {
    return parseListenOverflows(readFileSync('/proc/net/netstat', 'utf8'));
  } catch {
    return null;
  }
}

/** How many connections were dropped between two readings (null when either is missing). */
export function overflowsBetween(before, after) {
  if (!before || !after) return null;
  return Math.max(after.overflows - before.overflows, after.drops - before.drops);
}
