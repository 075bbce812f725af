/**
 * The mock provider's knobs (extra keys on its `providers.<name>` entry), validated with messages that
 * name the key, what it must be and what was given.
 */
import {
  COMMON_PROVIDER_KEYS,
  type ErrorType,
  type ProviderConfigEntry,
  type StandardSchema,
} from '@tokenpak/provider';
import { unknownOptionMessage } from '@tokenpak/provider-utils';

export interface MockRule {
  /** Matches the last user message: a case-insensitive substring, or a `/regex/flags`. */
  match?: RegExp | string;
  /** Matches the upstream model id (or the client's alias). */
  model?: string;
  text: string;
}

export interface MockToolCallOption {
  /** The tool to call (when offered); else the first offered tool. */
  name?: string;
  /** JSON arguments text. */
  arguments: string;
}

export interface MockOptions {
  rules: MockRule[];
  echo: boolean;
  latencyMs: number;
  tokensPerSecond: number;
  toolCall?: MockToolCallOption;
  failAfterTokens?: number;
  /** Set when `error_type` was given: without `fail_after_tokens` the call fails before the first byte. */
  errorType?: ErrorType;
  stallMs: number;
  stallAfterTokens: number;
}

const ERROR_TYPES: Record<ErrorType, true> = {
  invalid_request: true,
  authentication: true,
  permission: true,
  not_found: true,
  request_too_large: true,
  not_acceptable: true,
  rate_limit: true,
  overloaded: true,
  timeout: true,
  network: true,
  bad_upstream: true,
  api_error: true,
};

export const MOCK_OPTIONS = [
  'responses',
  'echo',
  'latency_ms',
  'tokens_per_second',
  'tool_call',
  'fail_after_tokens',
  'error_type',
  'stall_ms',
  'stall_after_tokens',
] as const;

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}

type OptionPath = Array<string | number>;

/** `responses[0].match`, as messages name it after `providers.<name>.`. */
function keyOf(path: OptionPath): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** A bad option: where it is (`path`, inside the entry) and what is wrong (`detail`, after the key). */
export class MockOptionError extends Error {
  override readonly name = 'MockOptionError';
  constructor(
    provider: string,
    readonly path: OptionPath,
    readonly detail: string,
  ) {
    super(`providers.${provider}.${keyOf(path)} ${detail}`);
  }
}

function fail(provider: string, key: string | OptionPath, expected: string, value: unknown): never {
  const path = typeof key === 'string' ? [key] : key;
  throw new MockOptionError(provider, path, `must be ${expected} (got ${describe(value)})`);
}

function nonNegativeNumber(provider: string, key: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(provider, key, 'a number ≥ 0', value);
  }
  return value;
}

function nonNegativeInteger(provider: string, key: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    fail(provider, key, 'a whole number ≥ 0', value);
  }
  return value;
}

/** `/pattern/flags` becomes a RegExp; anything else is a substring. */
function parseMatcher(provider: string, key: OptionPath, value: string): RegExp | string {
  const regex = /^\/(.*)\/([dgimsuvy]*)$/s.exec(value);
  if (!regex) return value.toLowerCase();
  try {
    return new RegExp(regex[1] ?? '', regex[2]);
  } catch (error) {
    return fail(provider, key, `a valid regular expression (${(error as Error).message})`, value);
  }
}

function parseRules(provider: string, value: unknown): MockRule[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) {
    return value.map((entry, i) => {
      const key: OptionPath = ['responses', i];
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        fail(provider, key, 'an object with `text` and `match` and/or `model`', entry);
      }
      const { match, model, text, ...rest } = entry as Record<string, unknown>;
      const unknown = Object.keys(rest)[0];
      if (unknown !== undefined)
        fail(provider, [...key, unknown], 'absent (known keys: match, model, text)', rest[unknown]);
      if (typeof text !== 'string') fail(provider, [...key, 'text'], 'a string', text);
      if (match !== undefined && (typeof match !== 'string' || match === '')) {
        fail(provider, [...key, 'match'], 'a non-empty string (substring or /regex/)', match);
      }
      if (model !== undefined && (typeof model !== 'string' || model === '')) {
        fail(provider, [...key, 'model'], 'a non-empty string', model);
      }
      if (match === undefined && model === undefined)
        fail(provider, key, 'given `match` and/or `model`', entry);
      return {
        ...(match !== undefined && { match: parseMatcher(provider, [...key, 'match'], match as string) }),
        ...(model !== undefined && { model: model as string }),
        text,
      };
    });
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).map(([model, text]) => {
      if (typeof text !== 'string') fail(provider, ['responses', model], 'a string (the canned text)', text);
      return { model, text };
    });
  }
  return fail(provider, 'responses', 'a map of model id → text, or a list of { match, model, text }', value);
}

function parseToolCall(provider: string, value: unknown): MockToolCallOption | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { arguments: '{}' };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(provider, 'tool_call', 'true, false or { name?, arguments? }', value);
  }
  const { name, arguments: args, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined)
    fail(provider, ['tool_call', unknown], 'absent (known keys: name, arguments)', rest[unknown]);
  if (name !== undefined && (typeof name !== 'string' || name === ''))
    fail(provider, ['tool_call', 'name'], 'a non-empty string', name);
  let text = '{}';
  if (typeof args === 'string') {
    try {
      JSON.parse(args);
    } catch {
      fail(provider, ['tool_call', 'arguments'], 'an object or a JSON object text', args);
    }
    text = args;
  } else if (args !== undefined) {
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      fail(provider, ['tool_call', 'arguments'], 'an object or a JSON object text', args);
    }
    text = JSON.stringify(args);
  }
  return { ...(name !== undefined && { name: name as string }), arguments: text };
}

export function parseMockOptions(provider: string, config: ProviderConfigEntry): MockOptions {
  const known = new Set<string>(MOCK_OPTIONS);
  for (const key of Object.keys(config)) {
    if (!COMMON_PROVIDER_KEYS.includes(key) && !known.has(key)) {
      throw new MockOptionError(provider, [key], unknownOptionMessage(key, MOCK_OPTIONS, 'mock'));
    }
  }
  if (config.echo !== undefined && typeof config.echo !== 'boolean')
    fail(provider, 'echo', 'true or false', config.echo);
  const errorType = config.error_type;
  if (errorType !== undefined && (typeof errorType !== 'string' || !(errorType in ERROR_TYPES))) {
    fail(provider, 'error_type', `one of ${Object.keys(ERROR_TYPES).join(', ')}`, errorType);
  }
  const toolCall = parseToolCall(provider, config.tool_call);
  const failAfterTokens = nonNegativeInteger(provider, 'fail_after_tokens', config.fail_after_tokens);
  return {
    rules: parseRules(provider, config.responses),
    echo: config.echo === true,
    latencyMs: nonNegativeNumber(provider, 'latency_ms', config.latency_ms, 0),
    tokensPerSecond: nonNegativeNumber(provider, 'tokens_per_second', config.tokens_per_second, 0),
    ...(toolCall && { toolCall }),
    ...(failAfterTokens !== undefined && { failAfterTokens }),
    ...(errorType !== undefined && { errorType: errorType as ErrorType }),
    stallMs: nonNegativeNumber(provider, 'stall_ms', config.stall_ms, 0),
    stallAfterTokens: nonNegativeInteger(provider, 'stall_after_tokens', config.stall_after_tokens) ?? 1,
  };
}

/**
 * The mock's options as a Standard Schema, for the registry and `tokenpak validate-config` (which reports the
 * issue at its line and column): the same checks as `parseMockOptions`, the first problem found as the issue.
 * The options are returned as given (the provider parses them again when created).
 */
export const mockOptionsSchema: StandardSchema<unknown, Record<string, unknown>> = {
  '~standard': {
    version: 1,
    vendor: '@tokenpak/mock',
    validate(value) {
      const input = value ?? {};
      if (typeof input !== 'object' || Array.isArray(input)) {
        return { issues: [{ message: 'the options must be a mapping' }] };
      }
      try {
        parseMockOptions('mock', input as ProviderConfigEntry);
      } catch (error) {
        if (!(error instanceof MockOptionError)) throw error;
        return { issues: [{ path: error.path, message: error.detail }] };
      }
      return { value: input as Record<string, unknown> };
    },
  },
};
