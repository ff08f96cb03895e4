/**
 * The demo's upstream: the reference qualification service on loopback with its own test CA, the
 * kiosk's TLS client pair issued by it, and the kiosk's device key in a SoftHSM2 token under var/
 * enrolled with it (CSR signed by the token, certificate installed in the token), so the face path
 * is attested exactly as in the field.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Attestor } from '@myna/kiosk/reception/ports.js';
import type { ClientCredentials } from '@myna/kiosk/upstream/client/index.js';
import {
  buildCsr,
  DEFAULT_PKCS11_MODULE,
  type DeviceSigner,
  deviceSigner,
  withDeviceToken,
} from '@myna/kiosk/upstream/device-key/index.js';
import { type RunningUpstream, startUpstream } from '@myna/upstream-ref/start-upstream.js';
import { softhsmToken } from '../softhsm/softhsm-script.ts';
import { simulatorCards } from '../upstream/simulator-cards.ts';

export interface DemoUpstream {
  upstream: RunningUpstream;
  credentials: ClientCredentials;
  attestor: Attestor;
}

/** The demo token's PIN: a throwaway token of the demo only, never a field token. */
const DEMO_TOKEN_PIN = '135790';

export async function startDemoUpstream(options: {
  varDir: string;
  kioskId: string;
  warn: (line: string) => void;
}): Promise<DemoUpstream> {
  const upstream = await startUpstream({
    ...simulatorCards(),
    db: `sqlite:${join(options.varDir, 'upstream.db')}`,
    port: 0,
  });
  try {
    const client = upstream.pki.kioskClient(options.kioskId);
    const credentials = { ca: upstream.pki.ca.certPem, cert: client.certPem, key: client.keyPem };
    return { upstream, credentials, attestor: await demoAttestor(upstream, options) };
  } catch (error) {
    await upstream.close();
    throw error;
  }
}

async function demoAttestor(
  upstream: RunningUpstream,
  options: { varDir: string; kioskId: string; warn: (line: string) => void },
): Promise<Attestor> {
  if (!existsSync(DEFAULT_PKCS11_MODULE) || spawnSync('softhsm2-util', ['--version']).status !== 0) {
    options.warn('softhsm2 is not installed: the face path cannot be attested (apt-get install softhsm2)');
    return noDeviceKey;
  }
  const env = softhsmToken(join(options.varDir, 'softhsm'), 'kiosk-demo', DEMO_TOKEN_PIN);
  // SoftHSM2 reads its configuration from the environment when the module loads.
  process.env.SOFTHSM2_CONF = env.SOFTHSM2_CONF;
  const token = { tokenLabel: env.KIOSK_TOKEN_LABEL, pin: env.KIOSK_TOKEN_PIN };
  await withDeviceToken(token, async (device) => {
    if (!device.hasKey()) device.generateKey();
    const publicKeyPem = device.publicKey().export({ type: 'spki', format: 'pem' }).toString();
    const csr = await buildCsr(publicKeyPem, [{ shortName: 'CN', value: options.kioskId }], (d) =>
      device.sign(d),
    );
    // Enrolled afresh on every start: the demo upstream's kiosk register may be new.
    const issued = await upstream.enrolDevice(csr, { kioskId: options.kioskId });
    device.installCertificate(Buffer.from(issued.certPem));
  });
  const signer: DeviceSigner = await deviceSigner(token);
  return signer;
}

const noDeviceKey: Attestor = {
  keyId: 'none',
  certificatePem: null,
  sign: () => Promise.reject(new Error('no device key')),
};
