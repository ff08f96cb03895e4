/**
 * A test person: the data file a virtual card is built from (packages/card-sim/people/*.json).
 * Validation is strict so that a typo in a fixture fails loudly with the file and field named,
 * instead of producing a card that silently differs from what the test expects.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isValidMyNumber } from '@myna/card/my-number.js';
import { z } from 'zod';

const IDEOGRAPHIC_SPACE = '\u3000';
const JP2_SIGNATURE = Buffer.from('0000000c6a502020', 'hex');

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s, 'is not a calendar date');

const instant = z.iso.datetime({ offset: true }).or(isoDate);

const fourDigits = z.string().regex(/^\d{4}$/, 'must be 4 digits');

export const personSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and hyphens'),
    notes: z.string().default(''),
    name: z
      .string()
      .refine(
        (s) => s.split(IDEOGRAPHIC_SPACE).length === 2 && !s.split(IDEOGRAPHIC_SPACE).includes(''),
        'must be family and given name separated by one U+3000 (ideographic space)',
      ),
    address: z.string().min(1),
    birthDate: isoDate.refine((s) => s >= '1868-10-23', 'is before the Meiji era (1868-10-23)'),
    sex: z.enum(['1', '2', '9', '0']),
    myNumber: z.string().refine(isValidMyNumber, 'must be 12 digits with a valid check digit'),
    /** JPKI user-authentication PIN. */
    pin: fourDigits.optional(),
    /** Tries left on the JPKI user-authentication PIN; 0 = already blocked. */
    pinTriesLeft: z.int().min(0).max(3).default(3),
    /** 券面事項入力補助 PIN; the same digits as `pin` unless given. */
    textInfoPin: fourDigits.optional(),
    textInfoPinTriesLeft: z.int().min(0).max(3).default(3),
    signingPassword: z
      .string()
      .regex(/^[A-Z0-9]{6,16}$/, 'must be 6 to 16 of A-Z and 0-9')
      .optional(),
    signingPasswordTriesLeft: z.int().min(0).max(5).default(5),
    cardExpiry: isoDate,
    securityCode: fourDigits,
    municipalityCode: z
      .string()
      .regex(/^\d{6}$/, 'must be 6 digits')
      .default('131016'),
    certificate: z.strictObject({ notBefore: instant, notAfter: instant }).optional(),
    /** Shorthand for a user-authentication certificate whose validity ended in the past. */
    expired: z.boolean().default(false),
    /** JPEG 2000 (JP2) file, relative to the person file. */
    photo: z.string().min(1),
    /** 顔認証マイナンバーカード: no PINs and no signing certificate. */
    pinless: z.boolean().default(false),
  })
  .superRefine((p, ctx) => {
    const pinFields = ['pin', 'textInfoPin', 'signingPassword'] as const;
    for (const field of pinFields) {
      if (p.pinless && p[field] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'must be absent on a PIN-less card' });
      }
    }
    for (const field of ['pin', 'signingPassword'] as const) {
      if (!p.pinless && p[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'is required unless the card is pinless' });
      }
    }
    if (p.expired && p.certificate) {
      ctx.addIssue({
        code: 'custom',
        path: ['expired'],
        message: 'give either expired or certificate, not both',
      });
    }
  });

export type PersonData = z.output<typeof personSchema>;

export interface Person extends PersonData {
  /** Absolute path of the file it came from. */
  readonly file: string;
  readonly photoJp2: Uint8Array;
}

export class PersonFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`person file ${file}: ${problem}`);
    this.name = 'PersonFileError';
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
      const message = missing ? 'is required' : issue.message;
      return issue.path.length > 0 ? `${issue.path.join('.')}: ${message}` : message;
    })
    .join('; ');
}

export function parsePerson(value: unknown, file: string): PersonData {
  const result = personSchema.safeParse(value);
  if (!result.success) throw new PersonFileError(file, describeIssues(result.error));
  return result.data;
}

export function loadPerson(file: string): Person {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PersonFileError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's own message quotes the file's text, which may hold a PIN.
    throw new PersonFileError(path, 'is not valid JSON');
  }
  const data = parsePerson(json, path);
  const photoPath = resolve(dirname(path), data.photo);
  let photoJp2: Uint8Array;
  try {
    photoJp2 = readFileSync(photoPath);
  } catch {
    throw new PersonFileError(path, `photo ${data.photo} cannot be read`);
  }
  if (!Buffer.from(photoJp2.subarray(0, 8)).equals(JP2_SIGNATURE)) {
    throw new PersonFileError(path, `photo ${data.photo} is not a JPEG 2000 (JP2) file`);
  }
  return { ...data, file: path, photoJp2 };
}

/** Whole years of age on `today` (YYYY-MM-DD), as Japanese law counts them for the kiosk's purposes. */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}
