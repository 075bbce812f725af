/**
 * AWS credentials, resolved lazily (on the first signed call, not at startup) and then kept until they are
 * about to expire: one resolution for every call in between, however many are in flight at once. A failed
 * resolution is not kept, so the next call tries again (a profile fixed, an instance role attached).
 */

/** The credentials SigV4 signs with (the shape of `AwsCredentialIdentity`). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When temporary credentials stop working; absent for long-term keys. */
  expiration?: Date;
}

export type CredentialSource = () => Promise<AwsCredentials>;

export interface CachedCredentialsOptions {
  /** Credentials this close to their expiration are resolved again. Default 5 minutes (the AWS SDKs' margin). */
  refreshBeforeMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

export function cachedCredentials(
  load: CredentialSource,
  options: CachedCredentialsOptions = {},
): CredentialSource {
  const refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  let current: AwsCredentials | undefined;
  let pending: Promise<AwsCredentials> | undefined;

  const fresh = (credentials: AwsCredentials) =>
    credentials.expiration === undefined || credentials.expiration.getTime() - now() > refreshBeforeMs;

  return () => {
    if (current && fresh(current)) return Promise.resolve(current);
    pending ??= load().then(
      (credentials) => {
        current = credentials;
        pending = undefined;
        return credentials;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}
