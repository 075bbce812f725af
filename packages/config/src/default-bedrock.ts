/**
 * Amazon Bedrock in the embedded config (no config file), only from the environment: when AWS credentials
 * (a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK, AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)
 * and a region (AWS_REGION or AWS_DEFAULT_REGION) are set, a `bedrock` provider and two aliases. No secret is
 * copied into the config: the provider reads the same variables itself (the API key, or the AWS default
 * credential chain). With none of them set, nothing is added and nothing is said.
 */

/** A global cross-region inference profile: callable from any commercial region that has Bedrock. */
export const DEFAULT_BEDROCK_MODEL = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
export const BEDROCK_ALIASES = ['bedrock-claude', 'bedrock-claude-streaming'] as const;

export interface BedrockDefaults {
  providers: Record<string, Record<string, unknown>>;
  models: Record<string, Record<string, unknown>>;
  notes: string[];
}

/** The names of the variables that carry AWS credentials, in the order they are described. */
function credentialVariables(env: Record<string, string | undefined>): string | undefined {
  if (env.AWS_BEARER_TOKEN_BEDROCK) return 'AWS_BEARER_TOKEN_BEDROCK';
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)
    return 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  if (env.AWS_PROFILE) return 'AWS_PROFILE';
  return undefined;
}

export function bedrockDefaults(env: Record<string, string | undefined>): BedrockDefaults {
  const credentials = credentialVariables(env);
  const none: BedrockDefaults = { providers: {}, models: {}, notes: [] };
  if (!credentials) return none;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  const [plain, streaming] = BEDROCK_ALIASES;
  if (!region) {
    return {
      ...none,
      notes: [
        `${credentials} is set but AWS_REGION is not: no ${plain} alias (set AWS_REGION to use Amazon Bedrock)`,
      ],
    };
  }
  return {
    providers: { bedrock: { type: 'bedrock', region } },
    models: {
      [plain]: { provider: 'bedrock', model: DEFAULT_BEDROCK_MODEL },
      [streaming]: { provider: 'bedrock', model: DEFAULT_BEDROCK_MODEL, stream: true },
    },
    notes: [
      `${credentials} and AWS_REGION are set: ${plain} and ${streaming} use Amazon Bedrock in ${region} (${DEFAULT_BEDROCK_MODEL})`,
    ],
  };
}
