/**
 * Small checks for Gemini client bodies: each throws ProviderError('invalid_request') naming the field's path
 * (`contents[2].parts[0].text`). Google's JSON mapping accepts every field in lowerCamelCase and in the proto's
 * snake_case (`systemInstruction` / `system_instruction`; the REST docs use both), so fields are read by their
 * camelCase name under either spelling.
 */
import { ProviderError } from '@tokenpak/provider';

export type Json = Record<string, unknown>;

export function invalid(path: string, message: string): ProviderError {
  return new ProviderError({ type: 'invalid_request', message: `${path}: ${message}`, param: path });
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SNAKE = new Map<string, string>();

/** `systemInstruction` → `system_instruction` (memoised: the names are a small fixed set). */
export function snakeCase(camel: string): string {
  let snake = SNAKE.get(camel);
  if (snake === undefined) {
    snake = camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    SNAKE.set(camel, snake);
  }
  return snake;
}

/** `value[camel]`, or the same field spelt in snake_case. */
export function field(value: Json, camel: string): unknown {
  const direct = value[camel];
  return direct !== undefined ? direct : value[snakeCase(camel)];
}

/** A key in camelCase, whichever spelling the client used. */
export function camelKey(key: string): string {
  return key.includes('_') ? key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()) : key;
}

export function optionalString(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(path, 'must be a string');
  return value;
}

export function optionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(path, 'must be true or false');
  return value;
}

export function optionalNumber(
  value: unknown,
  path: string,
  min = Number.NEGATIVE_INFINITY,
  max = Number.POSITIVE_INFINITY,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path, 'must be a number');
  if (value < min || value > max) throw invalid(path, `must be between ${min} and ${max}`);
  return value;
}

export function optionalInteger(value: unknown, path: string, min: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalid(path, `must be an integer of at least ${min}`);
  }
  return value;
}
