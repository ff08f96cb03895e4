/**
 * Which consents go into which result document, and when. One visit gives one document: the
 * upstream's result with the patient's answers, each stamped with the time it was given, written
 * when the visit is settled.
 *
 * 限度額 (limit information): the limit certificate exists only in the upstream's answer to the
 * delivered consent record. A visit whose answers agree to it waits for that answer, at most
 * `waitMs`, and is then written once: from the upstream's answer (with the certificate) when it came
 * in time, from the visit's own result (without it) otherwise. A certificate arriving later is not
 * written again: a second document with the same ArbitraryFileIdentifier is imported twice by
 * receipt systems, so the clinic looks a late certificate up in the online qualification system.
 */
import { withConsents } from '@myna/protocol/oqs/consent-flags.js';
import type { QualificationResult } from '@myna/protocol/oqs/qualification.js';
import type { ConsentRecord } from './ports.ts';

/** The document of a settled visit: the result given, with the patient's answers set on it. */
export function visitResult(document: QualificationResult, consents: ConsentRecord): QualificationResult {
  return withConsents(
    document,
    consents.items.map(({ item, agreed, at }) => ({ item, agreed, at: new Date(at) })),
  );
}

/** The upstream's answer to delivered consents, as much of it as the visit's document needs. */
export interface DeliveredConsents {
  visitId: string;
  qualification: QualificationResult;
}

export interface VisitDocumentsOptions {
  publish(result: QualificationResult): Promise<unknown>;
  /** How long a 限度額 agreement waits for the upstream's answer before its document goes without it. */
  waitMs: number;
}

/** What the audit log says of a document that waited for the limit certificate. */
export type LimitCertificateOutcome = 'from-upstream' | 'not-in-time';

/** The settled visits' documents, each written once; the outbox delivery reports the upstream's answers. */
export class VisitDocuments {
  readonly #options: VisitDocumentsOptions;
  readonly #waiting = new Map<string, (answer: DeliveredConsents) => void>();

  constructor(options: VisitDocumentsOptions) {
    this.#options = options;
  }

  /** Writes the visit's one document; with 限度額 agreed, after the upstream's answer or `waitMs`. */
  async settle(
    document: QualificationResult,
    consents: ConsentRecord,
  ): Promise<{ limitCertificate?: LimitCertificateOutcome }> {
    const agreed = consents.items.some(({ item, agreed }) => item === 'limit-info' && agreed);
    if (!agreed) {
      await this.#options.publish(visitResult(document, consents));
      return {};
    }
    const answer = await this.#answerFor(consents.visitId);
    await this.#options.publish(visitResult(answer?.qualification ?? document, consents));
    return { limitCertificate: answer ? 'from-upstream' : 'not-in-time' };
  }

  /** The upstream answered a delivered consent record; true when a visit's document was waiting for it. */
  delivered(answer: DeliveredConsents): boolean {
    const resolve = this.#waiting.get(answer.visitId);
    resolve?.(answer);
    return resolve !== undefined;
  }

  #answerFor(visitId: string): Promise<DeliveredConsents | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(null), this.#options.waitMs);
      const done = (answer: DeliveredConsents | null) => {
        clearTimeout(timer);
        this.#waiting.delete(visitId);
        resolve(answer);
      };
      this.#waiting.set(visitId, done);
    });
  }
}
