/** Where Bedrock Runtime calls go: the regional endpoint, the region a base URL names, a model's path. */
import { joinPath } from '@tokenpak/provider-utils';

/** `https://bedrock-runtime.{region}.amazonaws.com` (`.amazonaws.com.cn` for the China regions). */
export function bedrockEndpoint(region: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://bedrock-runtime.${region}.${domain}`;
}

/**
 * The region a Bedrock Runtime URL names: `bedrock-runtime[-fips].{region}.amazonaws.com[.cn]` and VPC
 * endpoints (`vpce-….bedrock-runtime.{region}.vpce.amazonaws.com`). Undefined for any other host.
 */
export function regionOfUrl(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  return /(?:^|\.)bedrock-runtime(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:vpce\.)?amazonaws\.com(?:\.cn)?$/.exec(
    host,
  )?.[1];
}

/**
 * A model id as one path segment, the way the AWS SDK writes it (RFC 3986: `encodeURIComponent` plus
 * `!'()*`), so that ids with `:` (`anthropic.claude-…-v1:0`) and ARNs (`arn:aws:bedrock:…/…`) fit.
 */
export function encodeModelId(model: string): string {
  return encodeURIComponent(model).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `{base path}/model/{modelId}/converse` or `/converse-stream`. */
export function modelPath(basePath: string, model: string, stream: boolean): string {
  return joinPath(basePath, `/model/${encodeModelId(model)}/${stream ? 'converse-stream' : 'converse'}`);
}
