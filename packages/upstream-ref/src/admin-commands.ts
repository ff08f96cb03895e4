/**
 * The operator's commands for the reference upstream (the testbed's src/scripts/upstream-ca.ts):
 * certificates from the upstream CA for kiosks and staff, device certificates from a kiosk's CSR
 * (registered at once), and revocation of cards, kiosks and client certificates in the upstream's
 * database. The card CA comes from the caller: the upstream keeps no card PKI of its own.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import * as admin from './admin.ts';
import { openDatabase } from './db/open-database.ts';
import { isStaffRole, STAFF_ROLES } from './pki/staff-roles.ts';
import { loadUpstreamPki, PkiError } from './pki/upstream-pki.ts';
import { UpstreamRepository } from './store/upstream-repository.ts';
import { type CertificateInput, type Trust, trustAnchor } from './verify/trust.ts';

export const DEFAULT_ADMIN_DB = 'sqlite:var/upstream.db';

export interface AdminIo {
  stdout: (text: string) => void;
  /** The JPKI user-authentication CA the card CRL is kept for; asked for only by a database command. */
  cardCa: () => CertificateInput;
  now?: () => Date;
}

interface DbOption {
  db?: string;
  pkiDir?: string;
}

export function upstreamCaProgram(io: AdminIo): Command {
  const now = io.now ?? (() => new Date());
  const say = (...lines: string[]) => {
    for (const line of lines) io.stdout(`${line}\n`);
  };
  const program = new Command('upstream-ca').description(
    'certificates and revocations of the reference upstream ($KIOSK_UPSTREAM_PKI_DIR or ./var/upstream-pki)',
  );
  const withDb = (command: Command) =>
    command
      .option('--db <url>', `the upstream database (default $KIOSK_UPSTREAM_DB or ${DEFAULT_ADMIN_DB})`)
      .option('--pki-dir <dir>', 'the upstream PKI directory');

  const inDatabase = async <T>(
    options: DbOption,
    work: (repo: UpstreamRepository, trust: Trust) => Promise<T>,
  ): Promise<T> => {
    const pki = loadUpstreamPki(options.pkiDir);
    const db = await openDatabase(options.db ?? process.env.KIOSK_UPSTREAM_DB ?? DEFAULT_ADMIN_DB);
    try {
      const trust: Trust = {
        cardCa: trustAnchor(io.cardCa()),
        upstreamCa: trustAnchor(pki.ca.x509),
      };
      return await work(new UpstreamRepository(db), trust);
    } finally {
      await db.close();
    }
  };

  program
    .command('init')
    .description('create the CA and the server certificate (done on first use anyway); print their paths')
    .option('--pki-dir <dir>', 'the upstream PKI directory')
    .action((options: DbOption) => {
      const pki = loadUpstreamPki(options.pkiDir);
      say(`CA certificate:     ${pki.ca.certPath}`, `server certificate: ${pki.server.certPath}`);
    });

  program
    .command('kiosk')
    .description("a kiosk's TLS client certificate (CN = kiosk id, OU = kiosk)")
    .requiredOption('--id <kioskId>', 'the kiosk id')
    .option('--pki-dir <dir>', 'the upstream PKI directory')
    .action((options: DbOption & { id: string }) => {
      const pair = loadUpstreamPki(options.pkiDir).kioskClient(options.id);
      say(`certificate: ${pair.certPath}`, `key:         ${pair.keyPath}`);
    });

  program
    .command('staff')
    .description('a staff TLS client certificate (OU = staff, title = role)')
    .requiredOption('--name <name>', 'the staff member (CN)')
    .requiredOption('--role <role>', STAFF_ROLES.join(' | '))
    .option('--pki-dir <dir>', 'the upstream PKI directory')
    .action((options: DbOption & { name: string; role: string }) => {
      if (!isStaffRole(options.role))
        throw new PkiError('bad-name', `--role must be one of ${STAFF_ROLES.join(', ')}`);
      const pair = loadUpstreamPki(options.pkiDir).staffClient(options.name, options.role);
      say(`certificate: ${pair.certPath}`, `key:         ${pair.keyPath}`);
    });

  withDb(
    program
      .command('enrol-device')
      .description('sign a device-key CSR (kiosk device csr) and register the kiosk for the face path'),
  )
    .requiredOption('--csr <file>', 'the PEM certificate request')
    .option('--kiosk-id <id>', "refuse the request unless its CN is this kiosk's id")
    .option('--out <file>', 'also write the certificate here (for kiosk device install-cert)')
    .action(async (options: DbOption & { csr: string; kioskId?: string; out?: string }) => {
      const pki = loadUpstreamPki(options.pkiDir);
      const device = pki.signDeviceCsr(readFileSync(options.csr, 'utf8'), {
        ...(options.kioskId ? { kioskId: options.kioskId } : {}),
      });
      if (options.out) writeFileSync(options.out, device.certPem);
      await inDatabase(options, (repo, trust) => admin.registerKiosk(repo, trust, device.certPem, now()));
      say(
        `registered kiosk ${device.kioskId} (device certificate serial ${device.serial})`,
        `certificate: ${options.out ?? device.certPath}`,
        `install it:  npx kiosk device install-cert ${options.out ?? device.certPath}`,
      );
    });

  withDb(
    program.command('revoke-card').description("put a card's user-authentication certificate on the CRL"),
  )
    .requiredOption('--cert <pemFileOrSerial>', 'the card certificate (PEM file) or its serial number (hex)')
    .action(async (options: DbOption & { cert: string }) => {
      const changed = await inDatabase(options, (repo, trust) =>
        admin.revokeCertificate(repo, trust, 'card', certificateRef(options.cert), now()),
      );
      say(changed ? 'card certificate revoked' : 'card certificate was already revoked');
    });

  withDb(program.command('revoke-kiosk').description('refuse a kiosk on every endpoint'))
    .requiredOption('--id <kioskId>', 'the kiosk id')
    .action(async (options: DbOption & { id: string }) => {
      const changed = await inDatabase(options, (repo) => admin.revokeKiosk(repo, options.id, now()));
      say(changed ? `kiosk ${options.id} revoked` : `kiosk ${options.id} was already revoked`);
    });

  withDb(
    program
      .command('revoke-client')
      .description('revoke a TLS client or device certificate of the upstream CA'),
  )
    .requiredOption('--cert <pemFileOrSerial>', 'the certificate (PEM file) or its serial number (hex)')
    .action(async (options: DbOption & { cert: string }) => {
      const changed = await inDatabase(options, (repo, trust) =>
        admin.revokeCertificate(repo, trust, 'upstream', certificateRef(options.cert), now()),
      );
      say(changed ? 'certificate revoked' : 'certificate was already revoked');
    });

  return program;
}

/** A PEM file's contents, or the argument itself taken as a serial. */
function certificateRef(argument: string): string {
  if (/^[0-9A-Fa-f:]+$/.test(argument)) return argument;
  return readFileSync(argument, 'utf8');
}
