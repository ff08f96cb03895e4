/**
 * Lists the PC/SC readers pcscd knows, one line each: `name<TAB>card ATR-hex` or `name<TAB>empty`.
 * On failure prints the card error as `code: message` and exits 1. Honours PCSCLITE_CSOCK_NAME.
 *
 *   npx tsx scripts/pcsc-readers.ts [--wait MS]   # --wait: first wait that long for a card
 */
import { parseArgs } from 'node:util';
import { CardError } from '../src/card/errors.ts';
import { PcscReaders } from '../src/card/pcsc/readers.ts';

const { values } = parseArgs({ options: { wait: { type: 'string' } } });

try {
  const readers = await PcscReaders.open();
  try {
    if (values.wait) await readers.waitForCard({ timeoutMs: Number(values.wait) });
    for (const r of readers.readers()) {
      console.log(`${r.name}\t${r.atr ? `card ${Buffer.from(r.atr).toString('hex')}` : 'empty'}`);
    }
  } finally {
    await readers.close();
  }
} catch (err) {
  if (!(err instanceof CardError)) throw err;
  console.log(`${err.code}: ${err.message}`);
  process.exitCode = 1;
}
