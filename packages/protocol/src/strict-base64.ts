/**
 * Base64 as JOSE writes it, read strictly: Buffer.from() skips characters it does not know and
 * ignores stray bits, so two different strings could decode to the same bytes. A signed request
 * must have exactly one spelling, or a tampered copy could pass a byte comparison as the original.
 */

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Unpadded base64url (RFC 7515 §2); null unless `text` is the one canonical encoding of its bytes. */
export function decodeBase64url(text: string): Buffer | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

/** Padded standard base64, the form of `x5c` entries (RFC 7515 §4.1.6); null unless canonical. */
export function decodeBase64(text: string): Buffer | null {
  if (text.length === 0 || !BASE64.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}
