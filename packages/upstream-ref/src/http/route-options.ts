import type { Route } from '@myna/protocol/routes/route.js';

/** What Fastify is told of a protocol route: its method, path and schemas. */
export interface RouteOptions<R extends Route> {
  method: R['method'];
  url: R['path'];
  schema: {
    params: R['params'];
    body: R['body'];
    response: { [Status in R['status']]: R['answer'] };
  };
}

/**
 * Fastify validates the params and body with the route's schemas and serialises the answer with
 * its answer schema (the zod type provider in app.ts); an answer that strays from the contract is a
 * 500, not a kiosk surprised in the field.
 */
export function routeOptions<R extends Route>(route: R): RouteOptions<R> {
  const schema: Record<string, unknown> = { response: { [route.status]: route.answer } };
  if (route.params) schema.params = route.params;
  if (route.body) schema.body = route.body;
  return { method: route.method, url: route.path, schema: schema as RouteOptions<R>['schema'] };
}
