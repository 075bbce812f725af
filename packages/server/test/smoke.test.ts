import { expect, test } from 'vitest';
import { placeholder } from '../src/index.ts';

test('loads', () => {
  expect(placeholder).toBe(true);
});
