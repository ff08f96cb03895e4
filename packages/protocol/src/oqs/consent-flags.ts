/**
 * The OQS consent elements of a result, from the patient's answers: the kiosk sets them on the
 * document it hands to the clinic's systems, the reference upstream on the answer it returns, so
 * both write them the same way.
 */

import { CONSENT_OQS_ELEMENT, type ConsentItem } from '../consent-items.ts';
import { japanTimestamp } from './oqs-time.ts';
import { CONSENT_GIVEN, type QualificationResult } from './qualification.ts';

export const CONSENT_DECLINED = '0';

/** How long an agreement lasts (ministry rule: 24 hours). */
export const CONSENT_VALIDITY_MS = 24 * 3_600_000;

export interface ConsentAnswer {
  item: ConsentItem;
  agreed: boolean;
  at: Date;
  /** Default: `at` + 24 h. */
  validUntil?: Date;
}

/**
 * The certificates the 限度額 question shares: the limit certificate and the specific-disease
 * certificates. *unconfirmed*: that one answer sets both, as the reader's single screen asks for both.
 */
const LIMIT_INFO_ELEMENTS = ['LimitApplicationCertificateRelated', 'SpecificDiseasesCertificateRelated'];

/** Each answer's flags, stamped with the time that answer was given (Japan time). */
export function consentFlags(answers: readonly ConsentAnswer[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (const answer of answers) {
    if (answer.item === 'limit-info') {
      // Real results carry a time only with an agreement ("0", or "1" with its time).
      for (const element of LIMIT_INFO_ELEMENTS) {
        flags[`${element}ConsFlg`] = answer.agreed ? CONSENT_GIVEN : CONSENT_DECLINED;
        if (answer.agreed) flags[`${element}ConsTime`] = japanTimestamp(answer.at);
      }
      continue;
    }
    const element = CONSENT_OQS_ELEMENT[answer.item];
    flags[`${element}ConsFlg`] = answer.agreed ? CONSENT_GIVEN : CONSENT_DECLINED;
    flags[`${element}ConsTime`] = japanTimestamp(answer.at);
    if (answer.agreed) {
      const until = answer.validUntil ?? new Date(answer.at.getTime() + CONSENT_VALIDITY_MS);
      flags[`${element}AvailableTime`] = japanTimestamp(until);
    }
  }
  return flags;
}

/** The result with the answers set on every person it lists. */
export function withConsents(
  result: QualificationResult,
  answers: readonly ConsentAnswer[],
): QualificationResult {
  const list = result.MessageBody.ResultList;
  if (!list) return result;
  const flags = consentFlags(answers);
  return {
    ...result,
    MessageBody: {
      ...result.MessageBody,
      ResultList: {
        ...list,
        ResultOfQualificationConfirmation: list.ResultOfQualificationConfirmation.map((person) => ({
          ...person,
          ...flags,
        })),
      },
    },
  };
}
