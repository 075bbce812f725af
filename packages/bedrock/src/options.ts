/**
 * The `type: bedrock` entry's own options (besides `base_url`, `api_key`, `headers`, timeouts...). Each string
 * may be written `${ENV_VAR}` in config.yaml, as keys are. A misspelt option is an issue (strict object).
 */
import { unknownOptionMessage } from '@tokenpak/provider-utils';
import * as v from 'valibot';

/** `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`... */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const secret = (what: string) =>
  v.optional(
    v.pipe(
      v.string(`${what} must be a string (write \${ENV_VAR} to read it from the environment)`),
      v.minLength(1, `${what} is empty (is its environment variable set?)`),
    ),
  );

const NAMES = [
  'region',
  'access_key_id',
  'secret_access_key',
  'session_token',
  'profile',
  'additional_model_request_fields',
] as const;

export const optionsSchema = v.pipe(
  v.strictObject(
    {
      /**
       * The AWS region: the endpoint (`https://bedrock-runtime.{region}.amazonaws.com`) and the SigV4 scope.
       * Required unless `base_url` is given (then read from its host when it names one).
       */
      region: v.optional(
        v.pipe(
          v.string('region must be a string such as us-east-1'),
          v.regex(
            REGION_PATTERN,
            (issue) => `region must be an AWS region such as us-east-1 (got '${issue.input}')`,
          ),
        ),
      ),
      /** Static AWS credentials for SigV4 (with `secret_access_key`; `session_token` for temporary ones). */
      access_key_id: secret('access_key_id'),
      secret_access_key: secret('secret_access_key'),
      session_token: secret('session_token'),
      /** A named profile of ~/.aws/config and ~/.aws/credentials, for the default credential chain. */
      profile: secret('profile'),
      /** Merged into every request's `additionalModelRequestFields` (model-specific fields), under the request's own. */
      additional_model_request_fields: v.optional(
        v.record(
          v.string(),
          v.unknown(),
          'additional_model_request_fields must be a mapping of fields to values',
        ),
      ),
    },
    (issue) =>
      issue.expected === 'never'
        ? unknownOptionMessage(String(issue.input), NAMES, 'bedrock')
        : 'the options must be a mapping',
  ),
  v.forward(
    v.partialCheck(
      [['access_key_id'], ['secret_access_key']],
      (o) => (o.access_key_id === undefined) === (o.secret_access_key === undefined),
      'access_key_id and secret_access_key go together: give both, or neither (to use the default credential chain)',
    ),
    ['access_key_id'],
  ),
  v.forward(
    v.partialCheck(
      [['session_token'], ['access_key_id']],
      (o) => o.session_token === undefined || o.access_key_id !== undefined,
      'session_token needs access_key_id and secret_access_key',
    ),
    ['session_token'],
  ),
  v.forward(
    v.partialCheck(
      [['profile'], ['access_key_id']],
      (o) => o.profile === undefined || o.access_key_id === undefined,
      'profile is for the default credential chain: it cannot go with access_key_id',
    ),
    ['profile'],
  ),
);

export type BedrockOptions = v.InferOutput<typeof optionsSchema>;

/** Every option name (@tokenpak/config keeps a copy for validate-config's did-you-mean). */
export const OPTION_NAMES: readonly string[] = NAMES;
