import { z } from 'zod';
import type { Route } from './route.ts';

/**
 * GET /v1/insurers/checkup-registration → 200: whether each insurer has sent its check-up data, so
 * reception can tell "no check-ups" from "this insurer shares none".
 */
export const listCheckupRegistration = {
  method: 'GET',
  path: '/v1/insurers/checkup-registration',
  status: 200,
  answer: z.object({
    insurers: z.array(
      z.object({
        insurerNumber: z.string(),
        name: z.string(),
        checkupDataRegistered: z.boolean(),
        registeredOn: z.iso.date().nullable(),
      }),
    ),
  }),
} as const satisfies Route;
