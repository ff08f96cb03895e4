/**
 * One qualification result in the shape the online qualification system (OQS) gives clinic systems,
 * so that an EMR or receipt computer that already reads OQS result files reads the kiosk's unchanged.
 *
 * Property names are the OQS element names, so the JSON of the local API and the XML in the result
 * folder say the same thing. Coded values stay strings, zero padded as on the wire: "030" is not 30.
 * Facts not confirmed from the official layout document are marked *unconfirmed*; each is one line
 * here (and one in packages/protocol/schema/oqs-result.xsd), so that it is cheap to correct.
 *
 * Key order in every object below is the element order of the XML document: the writer walks these
 * shapes, and the schema test holds the XSD to the same order.
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
   * Free id of the file. Kept to letters, digits, '-' and '_' because it becomes part of the file
   * name in the result folder. *unconfirmed*: the maximum length.
   */
  ArbitraryFileIdentifier: z
    .string()
    .regex(/^[0-9A-Za-z_-]{1,64}$/, "must be 1 to 64 of A-Z, a-z, 0-9, '-' and '_'"),
  /** 1 My Number card, 2 health insurance card. */
  ReferenceClassification: z.enum(['1', '2']),
  /** 1 normal, 2 processing, 9 abnormal. */
  SegmentOfResult: z.enum(['1', '2', '9']),
  ErrorCode: text.optional(),
  ErrorMessage: text.optional(),
  /** 0 UTF-8, 1 Shift_JIS. */
  CharacterCodeIdentifier: z.enum(['0', '1']),
});

/** *unconfirmed*: the child names; the container is confirmed. */
export const elderlyRecipientCertificateInfoSchema = z.object({
  ElderlyRecipientCertificateDate: yyyymmdd.optional(),
  ElderlyRecipientValidStartDate: yyyymmdd.optional(),
  ElderlyRecipientValidEndDate: yyyymmdd.optional(),
  ElderlyRecipientContributionRatio: digits(3).optional(),
});

/** *unconfirmed*: the child names other than the two classifications. */
export const limitApplicationCertificateRelatedInfoSchema = z.object({
  /** 01–03. */
  LimitApplicationCertificateClassification: z.enum(['01', '02', '03']),
  /** A01–A06 or B01–B06. */
  LimitApplicationCertificateClassificationFlag: z
    .string()
    .regex(/^[AB]0[1-6]$/, 'must be A01–A06 or B01–B06')
    .optional(),
  LimitApplicationCertificateDate: yyyymmdd.optional(),
  LimitApplicationCertificateValidStartDate: yyyymmdd.optional(),
  LimitApplicationCertificateValidEndDate: yyyymmdd.optional(),
  LimitApplicationCertificateLongTermDate: yyyymmdd.optional(),
});

export const resultOfQualificationConfirmationSchema = z.object({
  InsuredCardClassification: digits(2).optional(),
  InsurerNumber: digits(8),
  InsuredCardSymbol: text.optional(),
  InsuredIdentificationNumber: text,
  InsuredBranchNumber: digits(2).optional(),
  /** 1 the insured person, 2 a family member. */
  PersonalFamilyClassification: z.enum(['1', '2']).optional(),
  Name: text,
  NameKana: halfWidthKana,
  /** 1 male, 2 female, 3 not set. Sex2 is the one printed on the card where it differs. */
  Sex1: z.enum(['1', '2', '3']),
  Sex2: z.enum(['1', '2', '3']).optional(),
  Birthdate: yyyymmdd,
  Address: text.optional(),
  PostNumber: z
    .string()
    .regex(/^\d{3}-?\d{4}$/, 'must be a postal code (NNN-NNNN)')
    .optional(),
  /** Percent as three digits: "030" = 30 %. */
  InsuredPartialContributionRatio: digits(3).optional(),
  PreschoolClassification: z.string().regex(/^\d$/, 'must be one digit').optional(),
  ReasonOfLoss: z
    .string()
    .regex(/^\d{1,2}$/, 'must be one or two digits')
    .optional(),
  ElderlyRecipientCertificateInfo: elderlyRecipientCertificateInfoSchema.optional(),
  LimitApplicationCertificateRelatedInfo: limitApplicationCertificateRelatedInfoSchema.optional(),
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

export const messageBodySchema = z.object({
  /** *unconfirmed*: 1 normal end, 2 abnormal end. */
  ProcessingResultStatus: z.string().regex(/^\d$/, 'must be one digit'),
  ProcessingResultCode: text.optional(),
  ProcessingResultMessage: text.optional(),
  QualificationValidity: z.enum(['1', '2', '3', '4', '5', '6']),
  /** 1 electronic prescription, 2 paper. */
  PrescriptionIssueSelect: z.enum(['1', '2']).optional(),
  /** Absent when nothing matched (QualificationValidity 4). */
  ResultList: resultListSchema.optional(),
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
  });

export type MessageHeader = z.output<typeof messageHeaderSchema>;
export type MessageBody = z.output<typeof messageBodySchema>;
export type ResultOfQualificationConfirmation = z.output<typeof resultOfQualificationConfirmationSchema>;
export type ElderlyRecipientCertificateInfo = z.output<typeof elderlyRecipientCertificateInfoSchema>;
export type LimitApplicationCertificateRelatedInfo = z.output<
  typeof limitApplicationCertificateRelatedInfoSchema
>;
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
      const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
      const message = missing ? 'is required' : issue.message;
      return issue.path.length > 0 ? `${issue.path.join('.')}: ${message}` : message;
    }),
  );
}
