import type { ProviderFactory, ProviderPackage, StandardSchema } from '@tokenpak/provider';

export interface EchoOptions {
  greeting: string;
  max_words?: number;
}
export declare const type: 'echo';
export declare const specificationVersion: 'v1';
export declare const optionsSchema: StandardSchema<unknown, EchoOptions>;
export declare const create: ProviderFactory;
declare const echoProvider: ProviderPackage<EchoOptions>;
export default echoProvider;
