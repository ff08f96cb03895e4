import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { Command } from 'commander';
import { toPem } from '../upstream/device-key/certificate.ts';
import {
  buildCsr,
  DEVICE_KEY_ALGORITHM,
  DEVICE_KEY_BITS,
  DeviceKeyError,
  type DeviceToken,
  parseSubject,
  spkiFingerprint,
  summarizeCertificate,
  withDeviceToken,
} from '../upstream/device-key/index.ts';
import { printResult } from './output.ts';

interface JsonOption {
  json?: boolean;
}

function keySummary(token: DeviceToken) {
  return {
    tokenLabel: token.tokenLabel,
    keyLabel: token.keyLabel,
    keyId: token.keyId().toString('hex'),
    keyType: `RSA-${DEVICE_KEY_BITS}`,
    algorithm: DEVICE_KEY_ALGORITHM,
    publicKeySha256: spkiFingerprint(token.publicKey()),
  };
}

export function deviceCommand(): Command {
  const device = new Command('device').description(
    "the kiosk's device key in its PKCS#11 token (KIOSK_PKCS11_MODULE, KIOSK_TOKEN_LABEL, KIOSK_TOKEN_PIN)",
  );

  device
    .command('init')
    .description('create the device key pair (RSA-2048, non-extractable) in the token')
    .option('--force', 'replace an existing device key (and its certificate)')
    .option('--json', 'print JSON for machines')
    .action(async (options: JsonOption & { force?: boolean }) => {
      const result = await withDeviceToken({}, (token) => {
        const replaced = token.hasKey();
        token.generateKey({ force: options.force === true });
        return { ok: true, ...keySummary(token), replaced, attributes: token.keyAttributes() };
      });
      printResult(options, result, () => [
        `${result.replaced ? 'replaced' : 'created'} device key "${result.keyLabel}" in token "${result.tokenLabel}"`,
        `key id:     ${result.keyId}`,
        `key:        ${result.keyType} (${result.algorithm}), sensitive, not extractable`,
        `public key: sha256 ${result.publicKeySha256}`,
      ]);
    });

  device
    .command('csr')
    .description('write a PKCS#10 certificate request for the device key, signed by the token')
    .requiredOption('--out <file>', 'where to write the request (PEM)')
    .option(
      '--subject <dn>',
      'subject, e.g. "CN=kiosk-0001,O=Example Clinic,C=JP" (default CN=$KIOSK_ID or kiosk-<hostname>)',
    )
    .option('--json', 'print JSON for machines')
    .action(async (options: JsonOption & { out: string; subject?: string }) => {
      const subject = parseSubject(options.subject ?? `CN=${process.env.KIOSK_ID || `kiosk-${hostname()}`}`);
      const { pem, summary } = await withDeviceToken({}, async (token) => {
        const publicKeyPem = token.publicKey().export({ type: 'spki', format: 'pem' }).toString();
        return {
          pem: await buildCsr(publicKeyPem, subject, (data) => token.sign(data)),
          summary: keySummary(token),
        };
      });
      await writeFile(options.out, pem);
      const result = {
        ok: true,
        out: options.out,
        subject: subject.map((a) => `${a.shortName}=${a.value}`).join(', '),
        ...summary,
      };
      printResult(options, result, () => [
        `wrote ${result.out}`,
        `subject:    ${result.subject}`,
        `public key: sha256 ${result.publicKeySha256}`,
      ]);
    });

  device
    .command('install-cert')
    .description(
      "store the device certificate (PEM or DER) on the token; it must carry the token key's public key",
    )
    .argument('<file>', 'the certificate issued for the device key')
    .option('--json', 'print JSON for machines')
    .action(async (file: string, options: JsonOption) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        throw new DeviceKeyError('invalid-input', `cannot read ${file}`, { cause: error });
      }
      const result = await withDeviceToken({}, (token) => {
        const x509 = token.installCertificate(bytes);
        return { ok: true, ...keySummary(token), certificate: summarizeCertificate(x509.raw) };
      });
      printResult(options, result, () => [
        `installed the device certificate in token "${result.tokenLabel}"`,
        `subject:    ${result.certificate.subject}`,
        `issuer:     ${result.certificate.issuer}`,
        `serial:     ${result.certificate.serialNumber}`,
        `valid:      ${result.certificate.validFrom} – ${result.certificate.validTo}`,
      ]);
    });

  device
    .command('show')
    .description('the token, the device key and its certificate')
    .option('--pem', 'also print the public key and certificate as PEM')
    .option('--json', 'print JSON for machines')
    .action(async (options: JsonOption & { pem?: boolean }) => {
      const result = await withDeviceToken({}, (token) => {
        if (!token.hasKey())
          return {
            ok: true,
            tokenLabel: token.tokenLabel,
            keyLabel: token.keyLabel,
            key: null,
            certificate: null,
          };
        const { tokenLabel, keyLabel, ...key } = keySummary(token);
        const der = token.certificate();
        return {
          ok: true,
          tokenLabel,
          keyLabel,
          key: {
            ...key,
            attributes: token.keyAttributes(),
            ...(options.pem
              ? { publicKeyPem: token.publicKey().export({ type: 'spki', format: 'pem' }).toString() }
              : {}),
          },
          certificate: der
            ? { ...summarizeCertificate(der), ...(options.pem ? { pem: toPem('CERTIFICATE', der) } : {}) }
            : null,
        };
      });
      printResult(options, result, () => {
        const lines = [`token:       ${result.tokenLabel}`];
        if (!result.key) return [...lines, `device key:  none "${result.keyLabel}" (run: kiosk device init)`];
        lines.push(
          `key:         ${result.keyLabel} id ${result.key.keyId} (${result.key.keyType}, ${result.key.algorithm})`,
          `public key:  sha256 ${result.key.publicKeySha256}`,
        );
        const cert = result.certificate;
        if (!cert) lines.push('certificate: none (run: kiosk device csr, then kiosk device install-cert)');
        else
          lines.push(
            `certificate: ${cert.subject}`,
            `issuer:      ${cert.issuer}`,
            `serial:      ${cert.serialNumber}`,
            `valid:       ${cert.validFrom} – ${cert.validTo}`,
          );
        if (options.pem) {
          if (result.key.publicKeyPem) lines.push(result.key.publicKeyPem.trimEnd());
          if (cert && 'pem' in cert && cert.pem) lines.push(cert.pem.trimEnd());
        }
        return lines;
      });
    });

  return device;
}
