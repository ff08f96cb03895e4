import { relative } from 'node:path';
import { EXIT } from '@myna/kiosk/cli/output.js';
import { log } from '@myna/kiosk/common/node/log.js';
import { DatabaseUrlError } from '@myna/upstream-ref/db/sql-database.js';
import { PkiError } from '@myna/upstream-ref/pki/upstream-pki.js';
import { DEFAULT_PORT, type RunningUpstream, startUpstream } from '@myna/upstream-ref/start-upstream.js';
import { Command } from 'commander';
import { simulatorCards } from '../upstream/simulator-cards.ts';

export const DEFAULT_UPSTREAM_DB = 'sqlite:var/upstream.db';

interface ServeIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Resolves when the service should stop (default: SIGINT or SIGTERM). */
  stopSignal?: () => Promise<string>;
}

interface ServeOptions {
  db?: string;
  port?: string;
  host?: string;
  json?: boolean;
}

/**
 * `kiosk serve upstream`: the reference qualification service that stands in for the national
 * system on loopback, for development, the demo and tests. Runs until SIGINT or SIGTERM.
 */
export function serveCommand(io: ServeIo = {}): Command {
  const out = io.stdout ?? ((text: string) => process.stdout.write(text));
  const err = io.stderr ?? ((text: string) => process.stderr.write(text));
  const serve = new Command('serve').description('services the kiosk talks to, run locally');
  serve
    .command('upstream')
    .description('the reference qualification service (HTTPS with client certificates)')
    .option(
      '--db <url>',
      `sqlite:FILE, sqlite::memory: or postgres://… (default $KIOSK_UPSTREAM_DB or ${DEFAULT_UPSTREAM_DB})`,
    )
    .option('--port <n>', `TCP port (default ${DEFAULT_PORT}; 0 picks a free one)`)
    .option('--host <address>', 'address to listen on (default 127.0.0.1)')
    .option('--json', 'print where it listens as one JSON line')
    .action(async (options: ServeOptions) => {
      const fail = (code: string, message: string, exit: number) => {
        if (options.json) out(`${JSON.stringify({ ok: false, error: { code, message } })}\n`);
        err(`kiosk: ${message}\n`);
        process.exitCode = exit;
      };
      const port = options.port === undefined ? DEFAULT_PORT : Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        return fail('usage', `--port: expected a port number 0–65535, got "${options.port}"`, EXIT.usage);
      const db = options.db ?? process.env.KIOSK_UPSTREAM_DB ?? DEFAULT_UPSTREAM_DB;
      const host = options.host ?? '127.0.0.1';

      let upstream: RunningUpstream;
      try {
        upstream = await startUpstream({ ...simulatorCards(), db, port, host, log });
      } catch (error) {
        return fail(...describeStartFailure(error, db, host, port));
      }
      const where = {
        ok: true,
        url: upstream.url,
        database: redact(db),
        caCertificate: upstream.pki.ca.certPath,
        serverCertificate: upstream.pki.server.certPath,
        pkiDir: upstream.pki.dir,
      };
      if (options.json) out(`${JSON.stringify(where)}\n`);
      else
        for (const line of [
          `reference upstream listening on ${where.url}`,
          `database:            ${where.database}`,
          `CA certificate:      ${shown(where.caCertificate)}  (kiosks and staff trust this, and present a client certificate it issued)`,
          `server certificate:  ${shown(where.serverCertificate)}  (SAN 127.0.0.1, localhost)`,
          `kiosk TLS client:    npx tsx packages/devtools/src/scripts/upstream-ca.ts kiosk --id KIOSK_ID`,
          `staff TLS client:    npx tsx packages/devtools/src/scripts/upstream-ca.ts staff --name NAME --role doctor|dentist|pharmacist|clerk`,
          `device certificate:  npx tsx packages/devtools/src/scripts/upstream-ca.ts enrol-device --csr FILE --db ${where.database}`,
          'stop with Ctrl-C',
        ])
          out(`${line}\n`);

      const signal = await (io.stopSignal ?? waitForSignal)();
      await upstream.close();
      if (!options.json) out(`stopped (${signal})\n`);
    });
  return serve;
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function describeStartFailure(
  error: unknown,
  db: string,
  host: string,
  port: number,
): [string, string, number] {
  const code = (error as NodeJS.ErrnoException).code;
  if (error instanceof DatabaseUrlError) return ['usage', `--db: ${error.message}`, EXIT.usage];
  if (error instanceof PkiError) return ['pki', error.message, EXIT.unexpected];
  if (code === 'EADDRINUSE')
    return ['address-in-use', `${host}:${port} is in use (--port picks another)`, EXIT.unexpected];
  if (code === 'EACCES' || code === 'EADDRNOTAVAIL')
    return ['address', `cannot listen on ${host}:${port} (${code})`, EXIT.unexpected];
  const message = error instanceof Error ? error.message : String(error);
  return [
    'database',
    `cannot open the upstream database ${redact(db)}: ${message.split('\n')[0]}`,
    EXIT.unexpected,
  ];
}

/** A password in a database URL is not for the terminal. */
function redact(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
