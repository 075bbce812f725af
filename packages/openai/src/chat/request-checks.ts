/** Small checks for client bodies: each failure is a 400 in the user's words, naming the parameter. */
import { ProviderError } from '@tokenpak/provider';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function invalid(param: string, message: string): ProviderError {
  return new ProviderError({ type: 'invalid_request', param, message: `${param}: ${message}` });
}

/** A string, or undefined when absent or null; anything else is a 400. */
export function optionalString(value: unknown, param: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(param, 'must be a string');
  return value;
}

export function optionalBoolean(value: unknown, param: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(param, 'must be true or false');
  return value;
}

export function optionalNumber(value: unknown, param: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(param, 'must be a number');
  if (value < min || value > max) throw invalid(param, `must be between ${min} and ${max}`);
  return value;
}

export function optionalPositiveInteger(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid(param, 'must be a positive integer');
  }
  return value;
}
