import { listCheckupRegistration } from '@myna/protocol/routes/insurers.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readClientIdentity } from '../http/client-identity.ts';
import { routeOptions } from '../http/route-options.ts';
import type { UpstreamServices } from '../services.ts';

/** GET /v1/insurers/checkup-registration, for any client certificate. */
export const insurerRoutes: FastifyPluginAsyncZod<{ services: UpstreamServices }> = async (
  app,
  { services },
) => {
  app.route({
    ...routeOptions(listCheckupRegistration),
    handler: async (request) => {
      readClientIdentity(request);
      const insurers = await services.repo.insurers();
      return {
        insurers: insurers.map((i) => ({
          insurerNumber: i.insurerNumber,
          name: i.name,
          checkupDataRegistered: i.checkupDataRegistered,
          registeredOn: i.checkupRegisteredOn,
        })),
      };
    },
  });
};
