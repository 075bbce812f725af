/** Fresh ids in OpenAI's Responses shapes: `resp_…`, and `msg_…` / `fc_…` / `rs_…` for output items. */
function hex(): string {
  return globalThis.crypto.randomUUID().replaceAll('-', '');
}

export function mintResponseId(): string {
  return `resp_${hex()}`;
}

export function mintItemId(prefix: 'msg' | 'fc' | 'rs'): string {
  return `${prefix}_${hex()}`;
}
