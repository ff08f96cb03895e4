import { createHash } from 'node:crypto';
import { parseCertificate } from '../certificate.ts';
import { type CertificateSummary, summarizeCertificate } from '../certificate-summary.ts';
import { InvalidInputError, MalformedDataError } from '../errors.ts';
import type { ApduProtocol } from '../protocol.ts';
import { AID, INS, JPKI, SHA256_DIGEST_INFO_PREFIX, SIGN_SCHEME } from '../spec.ts';
import { ApplicationSession } from './application.ts';
import type { SecretRef, SecretStatus } from './secret.ts';

const AUTH_PIN: SecretRef = { ef: JPKI.ef.authPin, name: 'user-authentication PIN' };
const RSA_2048_BYTES = 256;

export interface CardCertificate {
  der: Uint8Array;
  pem: string;
  summary: CertificateSummary;
  publicKeyPem: string;
}

/**
 * The JPKI application: the user-authentication certificate (no personal data, readable without a
 * PIN), its PIN, and signatures with the user-authentication key. Never retries a PIN on its own.
 */
export class JpkiSession extends ApplicationSession {
  static open(protocol: ApduProtocol): Promise<JpkiSession> {
    return ApplicationSession.opened(new JpkiSession(protocol, AID.jpki, 'JPKI application'));
  }

  async authCertificate(now = new Date()): Promise<CardCertificate> {
    return certificateFrom(
      await this.readFile(JPKI.ef.authCertificate, 'user-authentication certificate'),
      now,
    );
  }

  async authCaCertificate(now = new Date()): Promise<CardCertificate> {
    return certificateFrom(
      await this.readFile(JPKI.ef.authCaCertificate, 'user-authentication CA certificate'),
      now,
    );
  }

  /** The token label (`JPKIAPICCTOKEN2` on a physical card). */
  async tokenLabel(): Promise<string> {
    const info = await this.readFile(JPKI.ef.tokenInfo, 'token info');
    const label = Buffer.from(info.subarray(0, 32)).toString('latin1');
    return label.replace(/[\0\x20\xff]+$/u, '').replace(/[^\x20-\x7e]/gu, '?');
  }

  authPinStatus(): Promise<SecretStatus> {
    return this.secretStatus(AUTH_PIN);
  }

  /** One VERIFY with the 4-digit user-authentication PIN. */
  verifyAuthPin(pin: string): Promise<void> {
    return this.verifyDigits(AUTH_PIN, pin, 4);
  }

  /** Signs a SHA-256 DigestInfo with the user-authentication key (PKCS#1 v1.5, RSA-2048). */
  async signDigestInfo(digestInfo: Uint8Array): Promise<Uint8Array> {
    if (
      digestInfo.length !== SHA256_DIGEST_INFO_PREFIX.length + 32 ||
      !Buffer.from(digestInfo.subarray(0, SHA256_DIGEST_INFO_PREFIX.length)).equals(SHA256_DIGEST_INFO_PREFIX)
    ) {
      throw new InvalidInputError('expected a SHA-256 DigestInfo (51 bytes)');
    }
    await this.select();
    await this.protocol.selectEf(JPKI.ef.authKey, 'user-authentication key');
    const signature = await this.protocol.expectOk(
      { cla: 0x80, ins: INS.computeSignature, p1: SIGN_SCHEME.asGiven, p2: 0x80, data: digestInfo, le: 256 },
      'COMPUTE DIGITAL SIGNATURE',
    );
    if (signature.length !== RSA_2048_BYTES) {
      throw new MalformedDataError(`signature of ${signature.length} bytes, expected ${RSA_2048_BYTES}`);
    }
    return signature;
  }

  /** SHA-256 of `message`, wrapped in a DigestInfo here and signed on the card. */
  signSha256(message: Uint8Array): Promise<Uint8Array> {
    const hash = createHash('sha256').update(message).digest();
    return this.signDigestInfo(Buffer.concat([SHA256_DIGEST_INFO_PREFIX, hash]));
  }
}

function certificateFrom(file: Uint8Array, now: Date): CardCertificate {
  const { der, cert } = parseCertificate(file);
  return {
    der,
    pem: cert.toString(),
    summary: summarizeCertificate(cert, now),
    publicKeyPem: cert.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
