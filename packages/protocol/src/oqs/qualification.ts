/**
 * One qualification result in the shape the online qualification system (OQS) gives clinic systems,
 * so that an EMR or receipt computer that already reads OQS result files reads the kiosk's unchanged.
 *
 * Property names are the OQS element names, so the JSON of the local API and the XML in the result
 * folder say the same thing. Coded values stay strings, zero padded as on the wire: "030" is not 30.
 * Facts not confirmed from the official layout document are marked *unconfirmed*; each is one line
 * here (and one in packages/protocol/schema/oqs-result.xsd), so that it is cheap to correct.
 *
 * Key order in every object below is the element order the writer uses (the schema test holds the
 * XSD to the same list). Real documents put some elements in another order and carry elements this
 * model does not know: the reader takes elements by name and skips the unknown ones.
 */
import { z } from 'zod';

function digits(count: number) {
  return z.string().regex(new RegExp(`^\\d{${count}}$`), `must be ${count} digits`);
}

function isCalendarDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function isClockTime(hhmmss: string): boolean {
  return (
    Number(hhmmss.slice(0, 2)) < 24 && Number(hhmmss.slice(2, 4)) < 60 && Number(hhmmss.slice(4, 6)) < 60
  );
}

/** YYYYMMDD, a real calendar day. */
export const yyyymmdd = digits(8).refine(isCalendarDate, 'is not a calendar date (YYYYMMDD)');

/** YYYYMMDDHHMMSS in Japan time, as OQS stamps its messages. */
export const yyyymmddhhmmss = digits(14).refine(
  (s) => isCalendarDate(s.slice(0, 8)) && isClockTime(s.slice(8)),
  'is not a date and time (YYYYMMDDHHMMSS)',
);

/** Free text that must say something when present; absence is how a message says "none". */
const text = z.string().min(1, 'must not be empty when present');

/** Half-width katakana (U+FF61–U+FF9F) with ASCII spaces, as OQS spells NameKana. */
const halfWidthKana = z.string().regex(/^[\uFF61-\uFF9F ]+$/, 'must be half-width katakana');

/** A consent flag. *unconfirmed*: "1" = consented, "0" = declined; other digits are kept as given. */
const consentFlag = z.string().regex(/^\d$/, 'must be one digit');

export const QUALIFICATION_VALIDITY = {
  '1': '有効',
  '2': '無効',
  '3': '無効(新資格あり)',
  '4': '該当資格なし',
  '5': '複数該当',
  '6': '有効(未登録)',
} as const;

export type QualificationValidity = keyof typeof QUALIFICATION_VALIDITY;

/** The consent flag value meaning the patient agreed (*unconfirmed*, see consentFlag). */
export const CONSENT_GIVEN = '1';

export const messageHeaderSchema = z.object({
  ProcessExecutionTime: yyyymmddhhmmss,
  QualificationConfirmationDate: yyyymmdd,
  MedicalInstitutionCode: digits(10),
  /**
   * Free id of the file, opaque: real ones are short base64-like text (with `=`) or absent. Nothing
   * here may depend on its form; the result folder makes its own safe file name from it.
   */
  ArbitraryFileIdentifier: text.optional(),
  /** 1 My Number card, 2 health insurance card (then QualificationConfirmSearchInfo says what was asked). */
  ReferenceClassification: z.enum(['1', '2']),
  /** 1 normal, 2 processing, 9 abnormal. */
  SegmentOfResult: z.enum(['1', '2', '9']),
  ErrorCode: text.optional(),
  ErrorMessage: text.optional(),
  /** 0 UTF-8, 1 Shift_JIS. */
  CharacterCodeIdentifier: z.enum(['0', '1']),
});

/**
 * 保険者番号: 8 digits, or a 6-digit 国保 number right-aligned in 8 characters ("  123456"), as
 * real results carry it. Kept as given so that the receipt computer sees what the insurer registered.
 */
export const insurerNumber = z
  .string()
  .regex(/^(?:\d{8}| {2}\d{6})$/, 'must be 8 digits, or 6 digits after two spaces');

export const elderlyRecipientCertificateInfoSchema = z.object({
  ElderlyRecipientCertificateDate: yyyymmdd.optional(),
  ElderlyRecipientValidStartDate: yyyymmdd.optional(),
  ElderlyRecipientValidEndDate: yyyymmdd.optional(),
  ElderlyRecipientContributionRatio: digits(3).optional(),
});

/** 限度額適用認定証区分 (01–03) and 適用区分: A01–A06 (under 70: ア…オ(境)), B01–B10 (70 and over). */
export const LIMIT_CLASSIFICATION_FLAG = /^(?:A0[1-6]|B0[1-9]|B10)$/;

export const limitApplicationCertificateRelatedInfoSchema = z.object({
  LimitApplicationCertificateClassification: z.enum(['01', '02', '03']),
  LimitApplicationCertificateClassificationFlag: z
    .string()
    .regex(LIMIT_CLASSIFICATION_FLAG, 'must be A01–A06 or B01–B10')
    .optional(),
  LimitApplicationCertificateDate: yyyymmdd.optional(),
  LimitApplicationCertificateValidStartDate: yyyymmdd.optional(),
  LimitApplicationCertificateValidEndDate: yyyymmdd.optional(),
  LimitApplicationCertificateLongTermDate: yyyymmdd.optional(),
});

/** 特定疾病療養受療証: one certificate. Disease category 1 dialysis, 2 haemophilia, 3 HIV from blood products. */
export const specificDiseasesCertificateInfoSchema = z.object({
  SpecificDiseasesDiseaseCategory: z.enum(['1', '2', '3']).optional(),
  SpecificDiseasesCertificateDate: yyyymmdd.optional(),
  SpecificDiseasesValidStartDate: yyyymmdd.optional(),
  SpecificDiseasesValidEndDate: yyyymmdd.optional(),
  /** Monthly self-payment limit in yen. */
  SpecificDiseasesSelfPay: z
    .string()
    .regex(/^\d{1,9}$/, 'must be yen in digits')
    .optional(),
});

export const specificDiseasesCertificateListSchema = z.object({
  SpecificDiseasesCertificateInfo: z.array(specificDiseasesCertificateInfoSchema).min(1),
});

/** 被保険者証区分: the kind of card, not the kind of insurance (a 後期高齢者 card is 01 too). */
export const INSURED_CARD_CLASSIFICATION = {
  '01': '被保険者証(一般)',
  '02': '被保険者証(退職)',
  '03': '短期被保険者証(一般)',
  '04': '短期被保険者証(退職)',
  '05': '被保険者資格証明書',
  '06': '特例退職被保険者証',
  '07': '自衛官診療証',
} as const;

const insuredCardClassification = z.enum(
  Object.keys(INSURED_CARD_CLASSIFICATION) as [keyof typeof INSURED_CARD_CLASSIFICATION],
);

export const resultOfQualificationConfirmationSchema = z.object({
  InsuredCardClassification: insuredCardClassification,
  InsurerNumber: insurerNumber,
  InsuredCardSymbol: text.optional(),
  InsuredIdentificationNumber: text,
  InsuredBranchNumber: digits(2).optional(),
  /** 1 the insured person, 2 a family member. */
  PersonalFamilyClassification: z.enum(['1', '2']).optional(),
  /** The insured person (head of household) when this record is a family member's. */
  InsuredName: text.optional(),
  Name: text,
  /** A name in common use registered besides the one on the card. */
  NameOfOther: text.optional(),
  NameKana: halfWidthKana,
  NameOfOtherKana: halfWidthKana.optional(),
  /** 1 male, 2 female, 3 not set. Sex2 is the one printed on the card where it differs. */
  Sex1: z.enum(['1', '2', '3']),
  Sex2: z.enum(['1', '2', '3']).optional(),
  Birthdate: yyyymmdd,
  Address: text.optional(),
  PostNumber: z
    .string()
    .regex(/^\d{3}-?\d{4}$/, 'must be a postal code (NNN-NNNN)')
    .optional(),
  InsuredCertificateIssuanceDate: yyyymmdd.optional(),
  /** The first day the card is valid. */
  InsuredCardValidDate: yyyymmdd.optional(),
  /** The last day the card is valid. */
  InsuredCardExpirationDate: yyyymmdd.optional(),
  /**
   * 後期高齢者 only (insurer numbers 39…): percent as three digits, "010" = 10 %. Consumers take its
   * presence to mean 後期高齢者, so it is never written for anyone else.
   */
  InsuredPartialContributionRatio: digits(3).optional(),
  /** "1" 未就学: before the 1 April after the sixth birthday. */
  PreschoolClassification: z.string().regex(/^\d$/, 'must be one digit').optional(),
  /** 01 death, 02 public assistance began, 03 other insurance, 99 other. */
  ReasonOfLoss: z
    .string()
    .regex(/^\d{1,2}$/, 'must be one or two digits')
    .optional(),
  /** The insurer's name as on the card; receipt systems require it. */
  InsurerName: text,
  ElderlyRecipientCertificateInfo: elderlyRecipientCertificateInfoSchema.optional(),
  /** 0 not agreed, 1 agreed (then with its time) to share limit certificate information. */
  LimitApplicationCertificateRelatedConsFlg: z.enum(['0', '1']).optional(),
  LimitApplicationCertificateRelatedConsTime: yyyymmddhhmmss.optional(),
  LimitApplicationCertificateRelatedInfo: limitApplicationCertificateRelatedInfoSchema.optional(),
  /** 0 not agreed, 1 agreed (then with its time), 2 the agreement has lapsed. */
  SpecificDiseasesCertificateRelatedConsFlg: z.enum(['0', '1', '2']).optional(),
  SpecificDiseasesCertificateRelatedConsTime: yyyymmddhhmmss.optional(),
  SpecificDiseasesCertificateList: specificDiseasesCertificateListSchema.optional(),
  /** 照会番号: the clinic's own patient id. */
  ReferenceNumber: text.optional(),
  PharmacistsInfoConsFlg: consentFlag.optional(),
  PharmacistsInfoConsTime: yyyymmddhhmmss.optional(),
  PharmacistsInfoAvailableTime: yyyymmddhhmmss.optional(),
  SpecificHealthCheckupsInfoConsFlg: consentFlag.optional(),
  SpecificHealthCheckupsInfoConsTime: yyyymmddhhmmss.optional(),
  SpecificHealthCheckupsInfoAvailableTime: yyyymmddhhmmss.optional(),
  DiagnosisInfoConsFlg: consentFlag.optional(),
  DiagnosisInfoConsTime: yyyymmddhhmmss.optional(),
  DiagnosisInfoAvailableTime: yyyymmddhhmmss.optional(),
  OperationInfoConsFlg: consentFlag.optional(),
  OperationInfoConsTime: yyyymmddhhmmss.optional(),
  OperationInfoAvailableTime: yyyymmddhhmmss.optional(),
});

export const resultListSchema = z.object({
  ResultOfQualificationConfirmation: z.array(resultOfQualificationConfirmationSchema).min(1),
});

/** What the clinic asked with when it looked a patient up by insurance card (ReferenceClassification 2). */
export const qualificationConfirmSearchInfoSchema = z.object({
  InsurerNumber: insurerNumber,
  InsuredCardSymbol: text.optional(),
  InsuredIdentificationNumber: text,
  InsuredBranchNumber: digits(2).optional(),
  Birthdate: yyyymmdd,
  LimitApplicationCertificateRelatedConsFlg: z.enum(['0', '1']).optional(),
  ArbitraryIdentifier: text.optional(),
});

export const messageBodySchema = z.object({
  /** 1 normal end, 2 error. */
  ProcessingResultStatus: z.string().regex(/^\d$/, 'must be one digit'),
  ProcessingResultCode: text.optional(),
  ProcessingResultMessage: text.optional(),
  QualificationValidity: z.enum(['1', '2', '3', '4', '5', '6']),
  /** 1 electronic prescription, 2 paper. */
  PrescriptionIssueSelect: z.enum(['1', '2']).optional(),
  /** Absent when nothing matched (QualificationValidity 4). */
  ResultList: resultListSchema.optional(),
  QualificationConfirmSearchInfo: qualificationConfirmSearchInfoSchema.optional(),
});

export const qualificationResultSchema = z
  .object({
    MessageHeader: messageHeaderSchema,
    MessageBody: messageBodySchema,
  })
  .superRefine((msg, ctx) => {
    const { MessageHeader: header, MessageBody: body } = msg;
    if (header.SegmentOfResult === '9' && header.ErrorCode === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['MessageHeader', 'ErrorCode'],
        message: 'is required when SegmentOfResult is 9 (abnormal)',
      });
    }
    const found = body.ResultList?.ResultOfQualificationConfirmation.length ?? 0;
    if (body.QualificationValidity === '4' && found > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['MessageBody', 'ResultList'],
        message: 'must be absent when QualificationValidity is 4 (no matching qualification)',
      });
    }
    if (body.QualificationValidity === '5' && found < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['MessageBody', 'ResultList'],
        message: 'must hold every match when QualificationValidity is 5 (several matches)',
      });
    }
    if (['1', '2', '3', '6'].includes(body.QualificationValidity) && found === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['MessageBody', 'ResultList'],
        message: `is required when QualificationValidity is ${body.QualificationValidity}`,
      });
    }
    if (header.ReferenceClassification === '2' && body.QualificationConfirmSearchInfo === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['MessageBody', 'QualificationConfirmSearchInfo'],
        message: 'is required when ReferenceClassification is 2 (insurance card)',
      });
    }
    body.ResultList?.ResultOfQualificationConfirmation.forEach((person, i) => {
      const path = ['MessageBody', 'ResultList', 'ResultOfQualificationConfirmation', i];
      for (const prefix of [
        'LimitApplicationCertificateRelated',
        'SpecificDiseasesCertificateRelated',
      ] as const) {
        if (person[`${prefix}ConsFlg`] === CONSENT_GIVEN && person[`${prefix}ConsTime`] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, `${prefix}ConsTime`],
            message: `is required when ${prefix}ConsFlg is 1 (agreed)`,
          });
        }
      }
      if (person.InsuredPartialContributionRatio !== undefined && !isLaterElderly(person.InsurerNumber)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'InsuredPartialContributionRatio'],
          message: 'is only for 後期高齢者 (insurer numbers 39…)',
        });
      }
    });
  });

/** 後期高齢者医療広域連合 insurer numbers start with the law number 39. */
export function isLaterElderly(insurerNumber: string): boolean {
  return insurerNumber.startsWith('39');
}

export type MessageHeader = z.output<typeof messageHeaderSchema>;
export type MessageBody = z.output<typeof messageBodySchema>;
export type ResultOfQualificationConfirmation = z.output<typeof resultOfQualificationConfirmationSchema>;
export type ElderlyRecipientCertificateInfo = z.output<typeof elderlyRecipientCertificateInfoSchema>;
export type LimitApplicationCertificateRelatedInfo = z.output<
  typeof limitApplicationCertificateRelatedInfoSchema
>;
export type SpecificDiseasesCertificateInfo = z.output<typeof specificDiseasesCertificateInfoSchema>;
export type QualificationConfirmSearchInfo = z.output<typeof qualificationConfirmSearchInfoSchema>;
/** The whole message, `XmlMsg` on the wire. */
export type QualificationResult = z.output<typeof qualificationResultSchema>;

/** Why a result was refused: the field paths and rules, never the refused values (they are personal data). */
export class QualificationResultError extends Error {
  override readonly name = 'QualificationResultError';
  constructor(readonly problems: readonly string[]) {
    super(`qualification result refused: ${problems.join('; ')}`);
  }
}

/** Validates a result from any source (a flow, JSON, parsed XML); throws QualificationResultError. */
export function parseQualificationResult(value: unknown): QualificationResult {
  const parsed = qualificationResultSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new QualificationResultError(
    parsed.error.issues.map((issue) => {
      // A code list reports a missing element as a value outside the list: say "required" for both.
      const missing = issue.code !== 'custom' && valueAt(value, issue.path) === undefined;
      const message = missing ? 'is required' : issue.message;
      return issue.path.length > 0 ? `${issue.path.join('.')}: ${message}` : message;
    }),
  );
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let here = value;
  for (const key of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<PropertyKey, unknown>)[key];
  }
  return here;
}
