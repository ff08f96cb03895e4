import type { FastifyInstance } from 'fastify';
import { readClientIdentity } from '../http/client-identity.ts';
import type { UpstreamServices } from '../services.ts';

/**
 * GET /v1/insurers/checkup-registration → 200 { insurers: [{ insurerNumber, name,
 * checkupDataRegistered, registeredOn }] }: whether each insurer has sent its check-up data, so
 * reception can tell "no check-ups" from "this insurer shares none".
 */
export function insurerRoutes(app: FastifyInstance, services: UpstreamServices): void {
  app.get('/v1/insurers/checkup-registration', async (request) => {
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
  });
}
