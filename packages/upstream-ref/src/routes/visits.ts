import { Problem } from '@myna/protocol/problem.js';
import type { Visit } from '../store/records.ts';
import type { UpstreamRepository } from '../store/upstream-repository.ts';

/** A visit is only ever continued by the kiosk that opened it; to any other it does not exist. */
export async function kioskVisit(repo: UpstreamRepository, visitId: string, kioskId: string): Promise<Visit> {
  const visit = await repo.visit(visitId);
  if (!visit || visit.kioskId !== kioskId) throw new Problem('visit-unknown', 'no such visit for this kiosk');
  return visit;
}
