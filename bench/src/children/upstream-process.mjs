// Child process entry: the fake upstream on 127.0.0.1, on a port of its own choosing.
import { createFakeUpstream } from '../upstream/fake-upstream.mjs';
import { reportFailure, serveControl } from './child-control.mjs';

try {
  const upstream = createFakeUpstream();
  const url = await upstream.listen({ host: '127.0.0.1', port: 0 });
  serveControl({ url, close: () => upstream.close(), extra: () => ({ ...upstream.counters }) });
} catch (error) {
  reportFailure(error);
}
