/**
 * The reception flow's upstream port over the HTTPS client: a nonce, then one signed qualification
 * request. What the flow sees of the answer is what its screens need (the name on the done screen,
 * the birth date that decides the 特定健診 question, whether insurance use is registered); the whole
 * OQS result goes on as the visit's document for the clinic's systems.
 */

import { patientSummary } from '@myna/protocol/oqs/patient-summary.js';
import type { QualificationResult } from '@myna/protocol/oqs/qualification.js';
import type { Qualification } from '../../reception/flow-types.ts';
import type { UpstreamPort, VerifiedVisit } from '../../reception/ports.ts';
import { UpstreamError } from '../errors.ts';
import type { UpstreamClient } from './upstream-client.ts';

/** The upstream's pseudonymous reference to the patient stays with the visit, for the result. */
export interface ReceptionVisit extends VerifiedVisit<QualificationResult> {
  personRef: string;
}

export interface ReceptionUpstream extends UpstreamPort<QualificationResult> {
  verify(jws: string): Promise<ReceptionVisit>;
}

export function receptionUpstream(client: Pick<UpstreamClient, 'nonce' | 'qualify'>): ReceptionUpstream {
  return {
    async nonce() {
      return (await client.nonce()).nonce;
    },
    async verify(jws) {
      const answer = await client.qualify(jws);
      return {
        visitId: answer.visitId,
        personRef: answer.personRef,
        qualification: qualificationOf(answer.qualification, answer.insuranceUseRegistered),
        document: answer.qualification,
      };
    },
  };
}

/**
 * Several matching records (or none) leave the kiosk nobody to greet by name: that is a case for
 * staff, so it is handled like a refusal (an answer, not an outage) with a code of its own.
 */
function qualificationOf(result: QualificationResult, registered: boolean): Qualification {
  const summary = patientSummary(result);
  if (summary.displayName === null || summary.birthDate === null)
    throw new UpstreamError(
      'refused',
      'no-single-qualification',
      `the upstream answered with ${summary.validityLabel} and no single insured person (QualificationValidity ${summary.validity})`,
    );
  return { displayName: summary.displayName, birthDate: summary.birthDate, registered };
}
