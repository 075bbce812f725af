/**
 * `type: bedrock` entries (@tokenpak/bedrock): its options checked here too, so that `validate-config` reports
 * them at their line and column with a did-you-mean, like every other key (the package's own schema checks
 * them again when the proxy starts). Keep BEDROCK_OPTIONS in step with @tokenpak/bedrock's `OPTION_NAMES`
 * (a server test compares them).
 */
import * as v from 'valibot';
import { suggestion } from '../did-you-mean.ts';
import { describe } from './messages.ts';

export const BEDROCK_OPTIONS = [
  'region',
  'access_key_id',
  'secret_access_key',
  'session_token',
  'profile',
  'additional_model_request_fields',
] as const;

/** `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`... */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const CREDENTIALS = ['access_key_id', 'secret_access_key', 'session_token', 'profile'] as const;

type Entry = Record<string, unknown>;
type Problem = { key: string; message: string; unknownKey?: boolean };

/** Every problem of a bedrock entry, each at one of its keys (`common` are the keys every entry may have). */
export function bedrockProblems(entry: Entry, common: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  const known = [...common, ...BEDROCK_OPTIONS];
  for (const key of Object.keys(entry)) {
    if (known.includes(key)) continue;
    const hint = suggestion(key, known);
    problems.push({
      key,
      unknownKey: true,
      message: hint
        ? `unknown key '${key}' for type 'bedrock'${hint}`
        : `unknown key '${key}' for type 'bedrock' (its options: ${BEDROCK_OPTIONS.join(', ')})`,
    });
  }
  const given = (key: string) => entry[key] !== undefined;
  if (given('region')) {
    const region = entry.region;
    if (typeof region !== 'string' || !REGION.test(region)) {
      problems.push({
        key: 'region',
        message: `expected an AWS region such as us-east-1, got ${describe(region)}`,
      });
    }
  } else if (!given('base_url')) {
    problems.push({
      key: 'region',
      message: "is required for type 'bedrock' unless base_url is given (e.g. region: ${AWS_REGION})",
    });
  }
  for (const key of CREDENTIALS) {
    if (!given(key)) continue;
    const value = entry[key];
    if (typeof value !== 'string') {
      problems.push({
        key,
        message: `expected a string (write \${ENV_VAR} to read it from the environment), got ${describe(value)}`,
      });
    } else if (value === '') {
      problems.push({ key, message: 'is empty (is its environment variable set?)' });
    }
  }
  if (given('access_key_id') !== given('secret_access_key')) {
    const missing = given('access_key_id') ? 'secret_access_key' : 'access_key_id';
    problems.push({
      key: given('access_key_id') ? 'access_key_id' : 'secret_access_key',
      message: `needs ${missing} too (or neither, for the default AWS credential chain)`,
    });
  }
  if (given('session_token') && !given('access_key_id')) {
    problems.push({ key: 'session_token', message: 'needs access_key_id and secret_access_key' });
  }
  if (given('profile') && given('access_key_id')) {
    problems.push({
      key: 'profile',
      message: 'is for the default credential chain: it cannot go with access_key_id',
    });
  }
  if (given('api_key') && (given('access_key_id') || given('profile'))) {
    problems.push({
      key: 'api_key',
      message: `a Bedrock API key cannot go with ${given('access_key_id') ? 'access_key_id' : 'profile'}: choose one way to authenticate`,
    });
  }
  const extra = entry.additional_model_request_fields;
  if (
    given('additional_model_request_fields') &&
    (typeof extra !== 'object' || extra === null || Array.isArray(extra))
  ) {
    problems.push({
      key: 'additional_model_request_fields',
      message: `expected a mapping of model fields to values, got ${describe(extra)}`,
    });
  }
  return problems;
}

/**
 * The bedrock checks as a pipe action of the provider schema: issues at `providers.<name>.<key>`. `common`
 * are the keys every entry may have.
 */
export function bedrockChecks<T extends { type: string }>(common: readonly string[]) {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const entry = dataset.value as unknown as Entry;
    if (entry.type !== 'bedrock') return;
    for (const problem of bedrockProblems(entry, common)) {
      addIssue({
        message: problem.message,
        ...(problem.unknownKey && { expected: 'never' }),
        path: [
          { type: 'object', origin: 'value', input: entry, key: problem.key, value: entry[problem.key] },
        ],
      });
    }
  });
}
