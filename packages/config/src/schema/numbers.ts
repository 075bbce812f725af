import * as v from 'valibot';
import { atLeast, atMost, expected } from './messages.ts';

/** A whole number >= min, with a description for editors. */
export function wholeNumber(min: number, description: string) {
  return v.pipe(
    v.number(expected('a whole number')),
    v.integer(expected('a whole number')),
    v.minValue(min, atLeast(min)),
    v.description(description),
  );
}

/** A whole number in [min, max], with a description for editors. */
export function boundedWholeNumber(min: number, max: number, description: string) {
  return v.pipe(
    v.number(expected('a whole number')),
    v.integer(expected('a whole number')),
    v.minValue(min, atLeast(min)),
    v.maxValue(max, atMost(max)),
    v.description(description),
  );
}

export function flag(description: string) {
  return v.pipe(v.boolean(expected('true or false')), v.description(description));
}

export function text(what: string, description: string) {
  return v.pipe(
    v.string(expected(what)),
    v.minLength(1, () => `must not be empty (${what})`),
    v.description(description),
  );
}
