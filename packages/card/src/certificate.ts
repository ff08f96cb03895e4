import { X509Certificate } from 'node:crypto';
import { MalformedDataError } from './errors.ts';
import { readTlv } from './tlv.ts';

const DER_SEQUENCE = 0x30;

/**
 * Parses a DER certificate read from the card. The outer SEQUENCE's length is checked first, so
 * trailing filler is dropped and a truncated file is refused before the X.509 parser sees it.
 */
export function parseCertificate(file: Uint8Array): { der: Uint8Array; cert: X509Certificate } {
  const outer = readTlv(file, 0);
  if (outer.tag !== DER_SEQUENCE) throw new MalformedDataError('certificate does not start with a SEQUENCE');
  const der = file.subarray(0, outer.end);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    throw new MalformedDataError('certificate does not parse as X.509');
  }
  return { der, cert };
}
