import type { TokenPakConfig } from './types.ts';

export type IssueSeverity = 'error' | 'warning' | 'info';

/** One finding about a config, located in the source when it came from a file. */
export interface ConfigIssue {
  severity: IssueSeverity;
  /**
   * Dotted path of the value, e.g. "models.gpt-4.provider"; "" for the whole file. A key holding a dot,
   * bracket, quote or space is bracketed and quoted: `models["gpt-4.1"].provider`.
   */
  path: string;
  /** In the user's words, without the path or position. */
  message: string;
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** The source line, a newline, then a caret line under the offending text. */
  excerpt?: string;
}

export type ConfigResult =
  | { ok: true; config: TokenPakConfig; warnings: ConfigIssue[]; notes: ConfigIssue[] }
  | { ok: false; errors: ConfigIssue[]; warnings: ConfigIssue[]; notes: ConfigIssue[] };
