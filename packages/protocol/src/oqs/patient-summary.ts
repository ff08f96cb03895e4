import {
  CONSENT_GIVEN,
  QUALIFICATION_VALIDITY,
  type QualificationResult,
  type QualificationValidity,
} from './qualification.ts';

/** What the kiosk's done screen may show the patient standing in front of it. */
export interface PatientSummary {
  /** The name as the card holder's record spells it, rare characters untouched; null when nothing matched. */
  displayName: string | null;
  nameKana: string | null;
  /** YYYY-MM-DD. */
  birthDate: string | null;
  validity: QualificationValidity;
  validityLabel: string;
  /** Whether reception can go on with this qualification (有効, or 有効 for medical assistance only). */
  usable: boolean;
  /** Co-payment in percent, e.g. 30. */
  contributionPercent: number | null;
  consents: { pharmacists: boolean; checkups: boolean; diagnosis: boolean; operation: boolean };
}

/**
 * Several matches (QualificationValidity 5) are a case for staff, not for the patient's screen, so
 * the summary then names nobody rather than guess which record is theirs.
 */
export function patientSummary(result: QualificationResult): PatientSummary {
  const body = result.MessageBody;
  const validity = body.QualificationValidity;
  const matches = body.ResultList?.ResultOfQualificationConfirmation ?? [];
  const person = matches.length === 1 ? matches[0] : undefined;
  const ratio = person?.InsuredPartialContributionRatio;
  return {
    displayName: person?.Name ?? null,
    nameKana: person?.NameKana ?? null,
    birthDate: person
      ? `${person.Birthdate.slice(0, 4)}-${person.Birthdate.slice(4, 6)}-${person.Birthdate.slice(6, 8)}`
      : null,
    validity,
    validityLabel: QUALIFICATION_VALIDITY[validity],
    usable: validity === '1' || validity === '6',
    contributionPercent: ratio === undefined ? null : Number(ratio),
    consents: {
      pharmacists: person?.PharmacistsInfoConsFlg === CONSENT_GIVEN,
      checkups: person?.SpecificHealthCheckupsInfoConsFlg === CONSENT_GIVEN,
      diagnosis: person?.DiagnosisInfoConsFlg === CONSENT_GIVEN,
      operation: person?.OperationInfoConsFlg === CONSENT_GIVEN,
    },
  };
}
