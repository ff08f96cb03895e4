/**
 * Which consents go into which result document, and when. The clinic's systems get the upstream's
 * result when the visit ends, with the patient's answers set on it. They get it once more after the
 * consents reached the upstream, and only when 限度額 (limit information) was agreed: the upstream's
 * answer then carries the limit certificate that the document of the visit could not have.
 */
import { withConsents } from '@myna/protocol/oqs/consent-flags.js';
import type { QualificationResult } from '@myna/protocol/oqs/qualification.js';
import type { ConsentRecord } from './ports.ts';

/** The document published when the visit ends: the upstream's result with the patient's answers. */
export function visitResult(document: QualificationResult, consents: ConsentRecord): QualificationResult {
  return withConsents(
    document,
    consents.items.map(({ item, agreed, at }) => ({ item, agreed, at: new Date(at) })),
  );
}

/** The upstream's answer to delivered consents, as much of it as decides a second document. */
export interface DeliveredConsents {
  consents: readonly { item: string; agreed: boolean }[];
  qualification: QualificationResult;
}

/** The document to publish again once the consents are delivered; null when the first one stands. */
export function resultAfterDelivery(answer: DeliveredConsents): QualificationResult | null {
  const limitInfoAgreed = answer.consents.some(({ item, agreed }) => item === 'limit-info' && agreed);
  return limitInfoAgreed ? answer.qualification : null;
}
