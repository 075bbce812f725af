/**
 * The strict options schemas of type openai, openai-compatible and azure (the registry and
 * `tokenpak validate-config` run them on the entry's own keys, the common ones left out).
 */
import type { StandardSchema } from '@tokenpak/provider';
import { describe, expect, test } from 'vitest';
import {
  azureOptionsSchema,
  azurePackage,
  openaiCompatibleOptionsSchema,
  openaiCompatiblePackage,
  openaiOptionsSchema,
  openaiPackage,
} from '../src/index.ts';

async function validate(schema: StandardSchema, options: unknown) {
  return await schema['~standard'].validate(options);
}

describe('type openai', () => {
  test.each([
    [{}, { api: 'chat' }],
    [{ api: 'chat' }, { api: 'chat' }],
    [{ api: 'responses' }, { api: 'responses' }],
  ])('%j is accepted as %j', async (options, value) => {
    expect(await validate(openaiOptionsSchema, options)).toEqual({ value });
  });

  test('a misspelt value or key is an issue at its key, listing the options', async () => {
    expect(await validate(openaiOptionsSchema, { api: 'respones', apii: 'chat' })).toEqual({
      issues: [
        {
          path: ['apii'],
          message: "is not an option of type openai (did you mean 'api'?)",
        },
        { path: ['api'], message: `must be 'chat' or 'responses' (got "respones")` },
      ],
    });
  });

  test.each([
    ['timout_ms', 'timeout_ms'],
    ['max_retry', 'max_retries'],
    ['first_token_timeout', 'first_token_timeout_ms'],
    ['base-url', 'base_url'],
  ])('%s (a common key misspelt) suggests %s', async (key, near) => {
    const result = await validate(openaiOptionsSchema, { [key]: 1 });
    expect(result.issues?.[0]?.message).toContain(`(did you mean '${near}'?)`);
  });

  test('a key far from every option gets the list without a guess', async () => {
    const result = await validate(openaiOptionsSchema, { organization: 'org-1' });
    expect(result.issues?.[0]?.message).toBe(
      'is not an option of type openai; its options: api (besides the common ones: api_key, base_url, ' +
        'supports_streaming, timeout_ms, connect_timeout_ms, idle_timeout_ms, first_token_timeout_ms, ' +
        'max_retries, retry_base_ms, retry_max_ms, headers)',
    );
  });

  test('the package is { type, optionsSchema, create }', () => {
    expect(openaiPackage).toMatchObject({ type: 'openai', optionsSchema: openaiOptionsSchema });
  });
});

describe('type openai-compatible', () => {
  test('include_usage defaults to true; false is kept', async () => {
    expect(await validate(openaiCompatibleOptionsSchema, {})).toEqual({ value: { include_usage: true } });
    expect(await validate(openaiCompatibleOptionsSchema, { include_usage: false })).toEqual({
      value: { include_usage: false },
    });
  });

  test('a typo and a wrong value are issues', async () => {
    expect(await validate(openaiCompatibleOptionsSchema, { include_usge: true })).toEqual({
      issues: [
        {
          path: ['include_usge'],
          message: "is not an option of type openai-compatible (did you mean 'include_usage'?)",
        },
      ],
    });
    expect(await validate(openaiCompatibleOptionsSchema, { include_usage: 'yes' })).toEqual({
      issues: [{ path: ['include_usage'], message: 'must be true or false (got "yes")' }],
    });
    expect(openaiCompatiblePackage.type).toBe('openai-compatible');
  });
});

describe('type azure', () => {
  test('its three options are accepted as given', async () => {
    const options = { api_version: '2024-10-21', deployment: 'gpt-4o', azure_ad_token: 't' };
    expect(await validate(azureOptionsSchema, options)).toEqual({ value: options });
    expect(await validate(azureOptionsSchema, {})).toEqual({ value: {} });
    expect(azurePackage.type).toBe('azure');
  });

  test('the Azure SDKs’ names keep their did-you-mean; other keys list the options', async () => {
    expect(await validate(azureOptionsSchema, { 'api-version': '2024-10-21', deploymnt: 'd' })).toEqual({
      issues: [
        { path: ['api-version'], message: 'is not an option of type azure: did you mean api_version?' },
        {
          path: ['deploymnt'],
          message: "is not an option of type azure (did you mean 'deployment'?)",
        },
      ],
    });
  });

  test('values are checked as the provider checks them', async () => {
    expect(
      await validate(azureOptionsSchema, {
        api_version: 'v1',
        deployment: 'a/b',
        azure_ad_token: 'Bearer t',
      }),
    ).toEqual({
      issues: [
        { path: ['api_version'], message: expect.stringMatching(/^must be left out for the v1 API/) },
        { path: ['deployment'], message: expect.stringMatching(/^must be a deployment name/) },
        { path: ['azure_ad_token'], message: 'must be the token alone, without "Bearer "' },
      ],
    });
  });
});
