import { StoreError } from './errors.ts';

/**
 * The no-PII rule for everything the store keeps (audit data, outbox payloads): JSON of codes,
 * counts and timings only. Refused, with a message naming the field and the rule but never the value:
 * - field names that mean personal data or a secret (pin, name, address, photo, descriptor,
 *   myNumber, birthDate, serial, password, …), in any case or separator style;
 * - a 12-digit number anywhere (a My Number), as a number or inside a string;
 * - in a pin-like field (one whose name contains the word "pin"), any string of 4 or more digits
 *   or a number of 4 digits or more;
 * - strings that are not printable ASCII (names and addresses are Japanese) or longer than 200
 *   characters, arrays longer than 64 items (a face descriptor has 128), binary buffers, nesting
 *   deeper than 6.
 */
export const PII_LIMITS = { maxString: 200, maxArray: 64, maxDepth: 6 } as const;

/** Words that, anywhere in a field name, mark it as personal data or a secret. */
const FORBIDDEN_WORDS = new Set([
  'name',
  'names',
  'fullname',
  'kana',
  'kanji',
  'address',
  'addr',
  'photo',
  'photos',
  'picture',
  'portrait',
  'descriptor',
  'descriptors',
  'embedding',
  'birth',
  'birthdate',
  'birthday',
  'dob',
  'mynumber',
  'password',
  'passcode',
  'passphrase',
  'secret',
  'serial',
  'phone',
  'email',
  'sex',
  'gender',
]);
/** Word pairs that mark it (camelCase split: myNumber → my number). */
const FORBIDDEN_PAIRS = [
  ['my', 'number'],
  ['individual', 'number'],
  ['pin', 'code'],
  ['private', 'key'],
  ['date', 'of'],
];

/** Splits a field name into lower-case words: `patientFullName` → patient, full, name. */
export function fieldWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** The reason a field name is refused, or null. */
export function forbiddenFieldReason(key: string): string | null {
  const words = fieldWords(key);
  const joined = words.join('');
  if (words.some((w) => FORBIDDEN_WORDS.has(w)) || FORBIDDEN_WORDS.has(joined))
    return 'a field of that name would hold personal data or a secret';
  for (const [a, b] of FORBIDDEN_PAIRS)
    for (let i = 0; i + 1 < words.length; i++)
      if (words[i] === a && words[i + 1] === b)
        return 'a field of that name would hold personal data or a secret';
  // `pin`, `userPin`, `pinValue`: the PIN itself. Counts such as `pinTriesLeft` are allowed.
  if (
    words.at(-1) === 'pin' ||
    joined === 'pin' ||
    (words[0] === 'pin' && ['value', 'digits'].includes(words[1] ?? ''))
  )
    return 'a PIN is never stored';
  return null;
}

const isPinLike = (key: string) => fieldWords(key).includes('pin');
const TWELVE_DIGITS = /(^|\D)\d{12}(\D|$)/;
/**
 * A UUID's last group is 12 hex digits, all of them decimal in about one UUID in 280 (0.625^12):
 * the upstream's visit ids are UUIDs, and such a visit's consent record must not be refused as a
 * My Number. A My Number is never written in a UUID's shape, so UUIDs are set aside before the check.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Throws StoreError('refused-pii') at the first thing that breaks the rule; `where` names the root
 * in the message ("audit data", "outbox payload").
 */
export function assertNoPii(value: unknown, where: string): void {
  walk(value, where, '', false, 0);
}

function refuse(path: string, why: string): never {
  throw new StoreError(
    'refused-pii',
    `refused ${path}: ${why} (the store never holds personal data or secrets)`,
  );
}

function walk(value: unknown, path: string, key: string, pinLike: boolean, depth: number): void {
  if (depth > PII_LIMITS.maxDepth) refuse(path, `nested deeper than ${PII_LIMITS.maxDepth}`);
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) refuse(path, 'not a finite number');
    const digits = Math.abs(Math.trunc(value)).toString();
    if (Number.isInteger(value) && digits.length === 12)
      refuse(path, 'a 12-digit number looks like a My Number');
    if (pinLike && Number.isInteger(value) && digits.length >= 4)
      refuse(path, 'a pin-like field holds digits');
    return;
  }
  if (typeof value === 'string') {
    if (value.length > PII_LIMITS.maxString)
      refuse(path, `string longer than ${PII_LIMITS.maxString} characters`);
    if (!PRINTABLE_ASCII.test(value))
      refuse(path, 'only printable ASCII codes are stored (no names or free text)');
    if (TWELVE_DIGITS.test(value.replace(UUID, '-')))
      refuse(path, 'a 12-digit number looks like a My Number');
    if (pinLike && /\d{4,}/.test(value)) refuse(path, 'a pin-like field holds digits');
    return;
  }
  if (Array.isArray(value)) {
    if (value.length > PII_LIMITS.maxArray)
      refuse(path, `array longer than ${PII_LIMITS.maxArray} items (looks like a descriptor or image)`);
    value.forEach((item, i) => {
      walk(item, `${path}[${i}]`, key, pinLike, depth + 1);
    });
    return;
  }
  if (typeof value === 'object') {
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer)
      refuse(path, 'binary data is never stored');
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) refuse(path, 'only plain JSON objects are stored');
    for (const [k, v] of Object.entries(value)) {
      const childPath = `${path}.${PRINTABLE_ASCII.test(k) && k.length <= 64 ? k : '<field>'}`;
      if (!PRINTABLE_ASCII.test(k) || k.length > 64) refuse(childPath, 'field names are ASCII codes');
      const reason = forbiddenFieldReason(k);
      if (reason) refuse(childPath, reason);
      walk(v, childPath, k, pinLike || isPinLike(k), depth + 1);
    }
    return;
  }
  refuse(path, `a ${typeof value} is not JSON`);
}
