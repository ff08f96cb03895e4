/**
 * The face path with the kiosk's real device key: a SoftHSM2 token makes the key and the CSR, the
 * upstream CA signs it, the token installs the certificate (as `kiosk device install-cert` does), the
 * upstream registers it, and an attestation the token signs is accepted.
 */

import {
  type ReadyDeviceToken,
  readyDeviceToken,
  softhsmSkipReason,
} from '@myna/devtools/test-support/device-token.js';
import {
  cardKeys,
  MEDICAL_INSTITUTION,
  testPerson,
  upstreamClient,
} from '@myna/devtools/test-support/upstream-pki.js';
import { simulatorCards } from '@myna/devtools/upstream/simulator-cards.js';
import { deviceSigner } from '@myna/kiosk/upstream/device-key/index.js';
import { signAttestation } from '@myna/protocol/signed-requests.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningUpstream, startUpstream } from '../../src/start-upstream.ts';

const skip = softhsmSkipReason();
if (skip) process.stdout.write(`device enrolment test skipped: ${skip}\n`);

describe.skipIf(skip !== null)('device enrolment with a PKCS#11 token', () => {
  let upstream: RunningUpstream;
  let token: ReadyDeviceToken;

  beforeAll(async () => {
    upstream = await startUpstream(simulatorCards());
    token = await readyDeviceToken((csr) => upstream.pki.signDeviceCsr(csr).certPem);
  });
  afterAll(async () => {
    token?.remove();
    await upstream?.close();
  });

  it('accepts an attestation signed in the token once the kiosk is registered, and not before', async () => {
    const device = await deviceSigner(token.options);
    expect(device.certificatePem).not.toBeNull();
    // The CN readyDeviceToken puts in its CSR.
    const kioskId = 'kiosk-test-0001';
    const kiosk = upstreamClient(upstream, upstream.pki.kioskClient(kioskId));
    const attest = async () => {
      const nonce = ((await kiosk.post('/v1/nonces')).body as { nonce: string }).nonce;
      return signAttestation({
        nonce,
        kioskId,
        now: new Date(),
        request: { kind: 'qualification', medicalInstitutionCode: MEDICAL_INSTITUTION },
        device,
        cardCertificate: cardKeys(testPerson('pinless')).certificateDer,
        method: 'face',
        match: { score: 0.3, threshold: 0.52, calibratedFar: 0.001 },
        liveness: { passed: true, challenge: 'blink' },
      });
    };

    const before = await kiosk.post('/v1/qualifications', { jws: await attest() });
    expect(before.problem.code).toBe('kiosk-unknown');

    expect(await upstream.registerKiosk(device.certificatePem!)).toMatchObject({ kioskId });
    const after = await kiosk.post('/v1/qualifications', { jws: await attest() });
    expect(after.status).toBe(200);
  });
});
