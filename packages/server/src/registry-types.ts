import type { Provider } from '@tokenpak/providers';

/** What the app needs from a provider registry (the one `createProviderRegistry` returns satisfies it). */
export interface ProviderLookup {
  get(name: string): Provider | undefined;
  names(): string[];
  close?(): Promise<void>;
}
