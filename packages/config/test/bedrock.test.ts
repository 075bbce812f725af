/**
 * `type: bedrock` in the config: region required unless base_url, its credential options, misspelt options
 * with a did-you-mean, each error at its line and column (errors come in source order); and the embedded default config, which mentions
 * Bedrock only through AWS environment variables.
 */
import { describe, expect, test } from 'vitest';
import {
  BEDROCK_OPTIONS,
  DEFAULT_BEDROCK_MODEL,
  defaultConfig,
  formatIssue,
  parseConfig,
} from '../src/index.ts';

const MODELS = 'models:\n  claude: { provider: aws, model: anthropic.claude-3-5-haiku-20241022-v1:0 }\n';

function errors(providerLines: string[], env: Record<string, string> = {}) {
  const result = parseConfig(
    `providers:\n  aws:\n${providerLines.map((l) => `    ${l}`).join('\n')}\n${MODELS}`,
    {
      env,
      filename: 'config.yaml',
    },
  );
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`);
}

describe('type: bedrock', () => {
  test.each([
    ['a region', ['type: bedrock', 'region: us-east-1']],
    ['a base_url instead', ['type: bedrock', 'base_url: https://bedrock-runtime.eu-west-1.amazonaws.com']],
    [
      'static keys from the environment',
      [
        'type: bedrock',
        'region: ${AWS_REGION}',
        'access_key_id: ${AWS_ACCESS_KEY_ID}',
        'secret_access_key: ${AWS_SECRET_ACCESS_KEY}',
        'session_token: ${AWS_SESSION_TOKEN}',
      ],
    ],
    ['a profile', ['type: bedrock', 'region: eu-central-1', 'profile: dev']],
    ['a Bedrock API key', ['type: bedrock', 'region: us-west-2', 'api_key: ${AWS_BEARER_TOKEN_BEDROCK}']],
    [
      'model fields',
      [
        'type: bedrock',
        'region: us-west-2',
        'additional_model_request_fields: { anthropic_beta: [x] }',
        'timeout_ms: 5000',
      ],
    ],
  ])('valid: %s', (_name, lines) => {
    const env = {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIA1',
      AWS_SECRET_ACCESS_KEY: 's',
      AWS_SESSION_TOKEN: 't',
      AWS_BEARER_TOKEN_BEDROCK: 'k',
    };
    expect(errors(lines, env)).toEqual([]);
  });

  test.each([
    [
      'no region and no base_url: at the entry',
      ['type: bedrock'],
      [
        "2:3 providers.aws.region: is required for type 'bedrock' unless base_url is given (e.g. region: ${AWS_REGION})",
      ],
    ],
    [
      'a misspelt option: at its key, with a did-you-mean',
      ['type: bedrock', 'regoin: us-east-1'],
      [
        "2:3 providers.aws.region: is required for type 'bedrock' unless base_url is given (e.g. region: ${AWS_REGION})",
        "4:5 providers.aws.regoin: unknown key 'regoin' for type 'bedrock' (did you mean 'region'?)",
      ],
    ],
    [
      'an unknown option, nothing close: the options listed',
      ['type: bedrock', 'region: us-east-1', 'temperature: 1'],
      [
        `5:5 providers.aws.temperature: unknown key 'temperature' for type 'bedrock' (its options: ${BEDROCK_OPTIONS.join(', ')})`,
      ],
    ],
    [
      'not a region',
      ['type: bedrock', 'region: us-east1'],
      ["4:13 providers.aws.region: expected an AWS region such as us-east-1, got 'us-east1'"],
    ],
    [
      'half a key pair',
      ['type: bedrock', 'region: us-east-1', 'access_key_id: AKIA1'],
      [
        '5:20 providers.aws.access_key_id: needs secret_access_key too (or neither, for the default AWS credential chain)',
      ],
    ],
    [
      'a session token alone, a key that is a number',
      ['type: bedrock', 'region: us-east-1', 'session_token: abc', 'profile: 42'],
      [
        '5:20 providers.aws.session_token: needs access_key_id and secret_access_key',
        '6:14 providers.aws.profile: expected a string (write ${ENV_VAR} to read it from the environment), got 42',
      ],
    ],
    [
      'an API key with access keys',
      ['type: bedrock', 'region: us-east-1', 'api_key: k', 'access_key_id: A', 'secret_access_key: B'],
      [
        '5:14 providers.aws.api_key: a Bedrock API key cannot go with access_key_id: choose one way to authenticate',
      ],
    ],
    [
      'model fields that are not a mapping',
      ['type: bedrock', 'region: us-east-1', 'additional_model_request_fields: [1]'],
      [
        '5:38 providers.aws.additional_model_request_fields: expected a mapping of model fields to values, got a list',
      ],
    ],
  ])('%s', (_name, lines, expected) => {
    expect(errors(lines)).toEqual(expected);
  });

  test('an empty secret from an unset variable says so, and the caret points at it', () => {
    const result = parseConfig(
      'providers:\n  aws:\n    type: bedrock\n    region: us-east-1\n    access_key_id: "${KEY_ID:-}"\n    secret_access_key: "${SECRET:-}"\n' +
        MODELS,
      { env: {}, filename: 'config.yaml' },
    );
    if (result.ok) throw new Error('expected errors');
    expect(formatIssue(result.errors[0]!)).toBe(
      [
        'config.yaml:5:20: providers.aws.access_key_id: is empty (is its environment variable set?)',
        ' 5 |     access_key_id: "${KEY_ID:-}"',
        '   |                    ^~~~~~~~~~~~~',
      ].join('\n'),
    );
  });

  test('other types keep their extra keys unchecked', () => {
    expect(
      parseConfig('providers:\n  c: { type: custom, package: p, regoin: x }\nmodels:\n  a: { provider: c }\n')
        .ok,
    ).toBe(true);
  });
});

describe('the embedded default config and AWS', () => {
  test('no AWS variables: nothing about Bedrock', () => {
    const { config, notes } = defaultConfig({});
    expect(config.providers.bedrock).toBeUndefined();
    expect(Object.keys(config.models).some((alias) => alias.includes('bedrock'))).toBe(false);
    expect(notes.join('\n')).not.toMatch(/AWS|Bedrock/);
  });

  test.each([
    [
      { AWS_BEARER_TOKEN_BEDROCK: 'ABSK-secret', AWS_REGION: 'us-west-2' },
      'AWS_BEARER_TOKEN_BEDROCK',
      'us-west-2',
    ],
    [
      { AWS_ACCESS_KEY_ID: 'AKIA1', AWS_SECRET_ACCESS_KEY: 'shh-secret', AWS_DEFAULT_REGION: 'eu-west-1' },
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      'eu-west-1',
    ],
    [{ AWS_PROFILE: 'dev', AWS_REGION: 'ap-northeast-1' }, 'AWS_PROFILE', 'ap-northeast-1'],
  ])('%j: a bedrock provider (region only, no secret copied) and two aliases', (env, said, region) => {
    const { config, notes } = defaultConfig(env);
    expect(config.providers.bedrock).toMatchObject({ type: 'bedrock', region });
    expect(Object.keys(config.providers.bedrock!).filter((k) => /key|token|secret/.test(k))).toEqual([]);
    expect(config.models['bedrock-claude']).toEqual({ provider: 'bedrock', model: DEFAULT_BEDROCK_MODEL });
    expect(config.models['bedrock-claude-streaming']).toEqual({
      provider: 'bedrock',
      model: DEFAULT_BEDROCK_MODEL,
      stream: true,
    });
    expect(notes).toContain(
      `${said} and AWS_REGION are set: bedrock-claude and bedrock-claude-streaming use Amazon Bedrock in ${region} (${DEFAULT_BEDROCK_MODEL})`,
    );
    expect(JSON.stringify({ config, notes })).not.toContain('secret');
    // The recipe's aliases are untouched.
    expect(config.models['claude-opus']).toEqual({ provider: 'mock', model: 'claude-opus' });
  });

  test('credentials without a region: no provider, and a note saying what is missing', () => {
    const { config, notes } = defaultConfig({ AWS_PROFILE: 'dev' });
    expect(config.providers.bedrock).toBeUndefined();
    expect(notes).toContain(
      'AWS_PROFILE is set but AWS_REGION is not: no bedrock-claude alias (set AWS_REGION to use Amazon Bedrock)',
    );
  });
});
