/** Small checks for client request bodies: each throws ProviderError('invalid_request') naming the path. */
import { ProviderError } from '@tokenpak/provider';

export type Json = Record<string, unknown>;

export function invalid(path: string, message: string): ProviderError {
  return new ProviderError({ type: 'invalid_request', message: `${path}: ${message}`, param: path });
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectObject(value: unknown, path: string): Json {
  if (!isObject(value)) throw invalid(path, 'expected an object');
  return value;
}

export function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalid(path, 'expected a string');
  return value;
}

export function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : expectString(value, path);
}

export function optionalNumber(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path, 'expected a number');
  return value;
}

export function optionalInteger(value: unknown, path: string, min: number): number | undefined {
  const number = optionalNumber(value, path);
  if (number !== undefined && (!Number.isInteger(number) || number < min)) {
    throw invalid(path, `expected an integer of at least ${min}`);
  }
  return number;
}

export function optionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(path, 'expected true or false');
  return value;
}

/** True when `block` has a key outside `known` (whose value is not null): something canonical cannot carry. */
export function hasExtraKeys(block: Json, known: ReadonlySet<string>): boolean {
  for (const key in block) {
    if (!known.has(key) && block[key] !== null && block[key] !== undefined) return true;
  }
  return false;
}
