import { MeasureError } from './measure-error.ts';
import { keyHeaders, unauthorizedMessage } from './proxy-auth.ts';

/** The first alias the proxy lists at /v1/models, or undefined when it lists none. */
export async function firstModel(url: string, apiKey: string | undefined): Promise<string | undefined> {
  const response = await fetch(`${url}/v1/models`, { headers: keyHeaders(apiKey) });
  if (response.status === 401) throw new MeasureError(unauthorizedMessage(apiKey));
  if (!response.ok) {
    throw new MeasureError(`cannot list models: ${url}/v1/models answered ${response.status}`);
  }
  const list = (await response.json()) as { data?: Array<{ id: string }> };
  return list.data?.[0]?.id;
}
