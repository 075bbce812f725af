/** type anthropic takes no options besides the common ones: its strict schema refuses any other key. */
import { expect, test } from 'vitest';
import { anthropicOptionsSchema, anthropicPackage } from '../src/index.ts';

const validate = async (options: unknown) => await anthropicOptionsSchema['~standard'].validate(options);

test('no options is valid', async () => {
  expect(await validate({})).toEqual({ value: {} });
  expect(anthropicPackage).toMatchObject({ type: 'anthropic', optionsSchema: anthropicOptionsSchema });
});

test('a misspelt common key is an issue at its key, with a did-you-mean and the options listed', async () => {
  expect(await validate({ timout_ms: 500, anthropic_version: '2023-06-01' })).toEqual({
    issues: [
      {
        path: ['timout_ms'],
        message: "is not an option of type anthropic (did you mean 'timeout_ms'?)",
      },
      {
        path: ['anthropic_version'],
        message: expect.stringMatching(
          /^is not an option of type anthropic; it takes only the common ones \(api_key, /,
        ),
      },
    ],
  });
});
