/**
 * One path, its methods and what every answer on it gets: GET also answers HEAD (same status and headers,
 * no body), any other method gets 405 with `Allow`, and `finish` sees every response last.
 */
import type { H3 } from 'h3';

export type RouteHandler = (request: Request) => Response | Promise<Response>;

export interface RouteSpec {
  path: string;
  methods: { GET?: RouteHandler; POST?: RouteHandler };
  /** The 405 answer, in the route's own error shape; `allow` is the `Allow` header's value. */
  notAllowed: (request: Request, allow: string) => Response;
}

/**
 * Called on every response of the route before it leaves (request ids, CORS). May return another
 * response; `preflight` answers an OPTIONS request, or returns undefined to treat it as any other method.
 */
export interface RouteFinish {
  finish(request: Request, response: Response): Response;
  preflight?(request: Request): Response | undefined;
}

export function mountRoute(app: H3, spec: RouteSpec, hooks: RouteFinish): void {
  const { finish } = hooks;
  const allowed: string[] = [];
  const { GET, POST } = spec.methods;
  if (GET) {
    app.get(spec.path, (event) => respond(event.req, GET, finish));
    app.on('HEAD', spec.path, (event) => respond(event.req, headOf(GET), finish));
    allowed.push('GET', 'HEAD');
  }
  if (POST) {
    app.post(spec.path, (event) => respond(event.req, POST, finish));
    allowed.push('POST');
  }
  const allow = allowed.join(', ');
  app.all(spec.path, (event) => {
    const request = event.req;
    const preflight = request.method === 'OPTIONS' ? hooks.preflight?.(request) : undefined;
    return finish(request, preflight ?? spec.notAllowed(request, allow));
  });
}

/** The catch-all: every path no route matched. */
export function mountFallback(app: H3, handler: RouteHandler, hooks: RouteFinish): void {
  app.all('/**', (event) => respond(event.req, handler, hooks.finish));
}

function respond(request: Request, handler: RouteHandler, finish: RouteFinish['finish']): Promise<Response> {
  return Promise.resolve(handler(request)).then((response) => finish(request, response));
}

/** HEAD from GET: the GET answer's status and headers, its body dropped unread. */
export function headOf(get: RouteHandler): RouteHandler {
  return async (request) => {
    const response = await get(request);
    if (response.body) await response.body.cancel();
    return new Response(null, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
