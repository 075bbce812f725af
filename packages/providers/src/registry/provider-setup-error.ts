/** A provider entry that cannot be turned into a provider (bad option, missing package, invalid factory). */
export class ProviderSetupError extends Error {
  override readonly name = 'ProviderSetupError';
  /** The provider's name (its key under `providers:`). */
  readonly provider: string;

  constructor(provider: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.provider = provider;
  }
}
