/**
 * The reference upstream's operator commands, by hand:
 *
 *   npx tsx packages/devtools/src/scripts/upstream-ca.ts init
 *   npx tsx packages/devtools/src/scripts/upstream-ca.ts kiosk --id kiosk-0001
 *   npx tsx packages/devtools/src/scripts/upstream-ca.ts staff --name dr-sato --role doctor
 *   npx tsx packages/devtools/src/scripts/upstream-ca.ts enrol-device --csr device.csr --out device.pem [--db URL]
 *   npx tsx packages/devtools/src/scripts/upstream-ca.ts revoke-card --cert SERIAL_OR_PEM [--db URL]
 *   npx tsx packages/devtools/src/scripts/upstream-ca.ts revoke-kiosk --id kiosk-0001 [--db URL]
 *   npx tsx packages/devtools/src/scripts/upstream-ca.ts revoke-client --cert SERIAL_OR_PEM [--db URL]
 */
import { upstreamCaProgram } from '@myna/upstream-ref/admin-commands.js';
import { simulatorCards } from '../upstream/simulator-cards.ts';

try {
  await upstreamCaProgram({
    stdout: (text) => process.stdout.write(text),
    cardCa: () => simulatorCards().cardCa,
  }).parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`upstream-ca: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
