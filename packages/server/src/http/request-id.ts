/** `x-request-id`: a client's id is kept when it is sane (1-128 of [A-Za-z0-9._:-]), else one is minted. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFor(headers: Headers): string {
  const given = headers.get('x-request-id');
  if (given !== null && SANE_ID.test(given)) return given;
  return crypto.randomUUID();
}
