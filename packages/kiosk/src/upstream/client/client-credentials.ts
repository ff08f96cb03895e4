/**
 * What the kiosk presents and trusts on its TLS connection to the upstream.
 *
 * Two keys, on purpose. The device key lives in the PKCS#11 token and cannot leave it; Node's TLS
 * stack needs its client key in the process, so mutual TLS uses a separate key file: a TLS client
 * certificate issued by the same upstream CA with OU=kiosk and CN=the kiosk id, its key readable by
 * the kiosk's user only (0600). The token's key signs the face-path attestations and nothing else.
 * The upstream ties the two together: it accepts an attestation only when the device certificate's
 * CN is the kiosk id of the TLS client on the same connection.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CodedError } from '@myna/protocol/coded-error.js';

export interface ClientCredentials {
  /** PEM: the upstream CA, the only anchor the server certificate is checked against. */
  ca: string;
  /** PEM: the kiosk's TLS client certificate. */
  cert: string;
  /** PEM: its private key. */
  key: string;
}

export interface CredentialFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export type CredentialsErrorCode = 'credentials-unreadable' | 'credentials-mismatch' | 'credentials-expired';

/** Messages name the file and the fix; they never quote the key. */
export class CredentialsError extends CodedError<CredentialsErrorCode> {
  override readonly name = 'CredentialsError';
}

/**
 * Reads the three PEM files and checks what can be checked before the first connection, so that
 * clinic IT hears "wrong key for this certificate" rather than "connection reset".
 */
export function readClientCredentials(files: CredentialFiles, now: Date = new Date()): ClientCredentials {
  const credentials = {
    ca: readPem(files.caFile, 'upstream CA certificate'),
    cert: readPem(files.certFile, 'kiosk TLS client certificate'),
    key: readPem(files.keyFile, 'kiosk TLS client key'),
  };
  checkClientCredentials(credentials, files, now);
  return credentials;
}

export function checkClientCredentials(
  credentials: ClientCredentials,
  files: Partial<CredentialFiles> = {},
  now: Date = new Date(),
): void {
  const where = (file: string | undefined, what: string) => (file ? `${what} ${file}` : `the ${what}`);
  const anchors = parse(() => certificatesIn(credentials.ca), where(files.caFile, 'upstream CA certificate'));
  const cert = parse(
    () => new X509Certificate(credentials.cert),
    where(files.certFile, 'kiosk TLS client certificate'),
  );
  const key = parse(() => createPrivateKey(credentials.key), where(files.keyFile, 'kiosk TLS client key'));
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  if (!cert.publicKey.export({ type: 'spki', format: 'der' }).equals(fromKey))
    throw new CredentialsError(
      'credentials-mismatch',
      `${where(files.keyFile, 'kiosk TLS client key')} is not the key of ${where(files.certFile, 'kiosk TLS client certificate')}: install the pair that was issued together`,
    );
  // Under TLS 1.3 a client certificate the server turns down surfaces only as a reset connection,
  // so the one mistake that can be seen here is looked for here.
  if (!anchors.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey)))
    throw new CredentialsError(
      'credentials-mismatch',
      `${where(files.certFile, 'kiosk TLS client certificate')} is not issued by ${where(files.caFile, 'upstream CA certificate')}: the upstream would turn the connection down`,
    );
  const to = new Date(cert.validTo);
  const from = new Date(cert.validFrom);
  if (now < from || now > to)
    throw new CredentialsError(
      'credentials-expired',
      `${where(files.certFile, 'kiosk TLS client certificate')} is valid from ${from.toISOString()} to ${to.toISOString()}: ask the upstream operator for a new one`,
    );
}

/** Every certificate of a PEM bundle (an upstream may name more than one CA). */
function certificatesIn(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error('no certificate');
  return blocks.map((block) => new X509Certificate(block));
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CredentialsError(
      'credentials-unreadable',
      `the ${what} ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
}

function parse<T>(read: () => T, what: string): T {
  try {
    return read();
  } catch (error) {
    throw new CredentialsError('credentials-unreadable', `${what} is not a PEM file of the expected kind`, {
      cause: error,
    });
  }
}
