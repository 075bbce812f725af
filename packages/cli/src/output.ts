/** Where a command writes, and whether it may use ANSI colour there. */
export interface Output {
  write(text: string): void;
  color: boolean;
}

interface WritableLike {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Colour only on a terminal, never when NO_COLOR is set (non-empty), and always when FORCE_COLOR
 * is set to something other than 0/false (unless NO_COLOR is set).
 */
export function useColor(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function streamOutput(
  stream: WritableLike,
  env: Record<string, string | undefined> = process.env,
): Output {
  return { write: (text) => void stream.write(text), color: useColor(stream, env) };
}

const CODES = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const;
export type Style = keyof typeof CODES;

export function paint(color: boolean, style: Style, text: string): string {
  return color
    ? `\u001b[${CODES[style]}m${text}\u001b[${style === 'dim' || style === 'bold' ? 22 : 39}m`
    : text;
}
