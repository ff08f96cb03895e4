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

export function consentFlags(answers: readonly ConsentAnswer[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (const answer of answers) {
    // Limit information has no consent flag in a result (see CONSENT_OQS_ELEMENT).
    if (answer.item === 'limit-info') continue;
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
