import { verify } from 'node:crypto';
import { summarizeCard } from '@myna/card/card-summary.js';
import type { CardConnection } from '@myna/card/connection.js';
import { readCardFully } from '@myna/card/full-read.js';
import { MyNumberCard } from '@myna/card/my-number-card.js';
import { PcscReaders } from '@myna/card/pcsc/readers.js';
import { verificationNumberB } from '@myna/card/verification-number.js';
import { virtualCardFor } from '@myna/card-sim/card-factory.js';
import { InProcessConnection } from '@myna/card-sim/in-process-connection.js';
import { peopleFile } from '@myna/card-sim/people.js';
import { loadPerson } from '@myna/card-sim/person.js';
import { type PcscStack, pcscUnavailable, startPcscStack } from '@myna/card-sim/stack/pcsc-stack.js';
import { Command } from 'commander';

interface DemoOptions {
  person: string;
  once?: boolean;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * The demo: a test person's virtual card on a private pcscd (or in-process where pcscd is missing),
 * read exactly as the kiosk reads a real card, then left on the reader for the other commands.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description('read a virtual My Number card through pcscd + vpcd, then keep it on the reader')
    .option('--person <file>', 'test person for the virtual card', peopleFile('young-rare-kanji'))
    .option('--once', 'exit after the walkthrough')
    .action(async (options: DemoOptions) => {
      const person = loadPerson(options.person);
      const stack = await startStack(person.file);
      try {
        if (stack)
          say(
            `pcscd + vpcd + virtual card for "${person.id}" (${stack.netns ? `namespace ${stack.netns}` : 'host loopback'})`,
          );
        await walkthrough(stack, person);
        if (stack && !options.once) await keepOnReader(stack);
      } finally {
        await stack?.stop();
      }
    });
}

/** The stack where pcscd can run here; else a warning and null: the demo goes on in-process. */
async function startStack(personFile: string): Promise<PcscStack | null> {
  let problem = pcscUnavailable();
  if (!problem) {
    try {
      return await startPcscStack({ person: personFile });
    } catch (error) {
      problem = `the PC/SC stack did not start (${error instanceof Error ? error.message.split('\n')[0] : error})`;
    }
  }
  process.stderr.write(`WARNING: ${problem}; using the in-process virtual card instead of PC/SC\n`);
  return null;
}

async function walkthrough(stack: PcscStack | null, person: ReturnType<typeof loadPerson>): Promise<void> {
  const readers = stack ? await PcscReaders.open() : null;
  let connection: CardConnection;
  if (readers && stack) connection = await readers.connect(await readers.waitForCard({ timeoutMs: 5_000 }));
  else connection = new InProcessConnection(virtualCardFor(person));
  try {
    const started = performance.now();
    const card = await MyNumberCard.recognise(connection);
    const summary = await summarizeCard(connection, card);
    say(`reader ${summary.reader}, ATR ${summary.atr}: My Number card (${summary.tokenLabel})`);
    say(
      `certificate ${summary.certificate.subject}, serial ${summary.certificate.serialNumber}, valid to ${summary.certificate.validTo}`,
    );
    say(
      `PIN tries left: authentication ${summary.pin.authentication.triesLeft}, card info ${summary.pin.cardInfo.triesLeft}`,
    );
    if (summary.pinless || !person.pin) {
      say('a PIN-less card: only the face match or staff can verify its holder');
      return;
    }
    const read = await readCardFully(card, {
      pin: person.pin,
      numberB: verificationNumberB(person.birthDate, person.cardExpiry, person.securityCode),
    });
    say(
      `card info: ${read.basicFour.name} / ${read.basicFour.birthDate} / ${read.basicFour.sex} / ${read.basicFour.address}`,
    );
    say(
      `card face: photo ${read.face.photo.length} bytes (${read.face.photoFormat}), card expires ${read.face.expiry}`,
    );
    const message = Buffer.from(`demo ${new Date().toISOString()}`);
    await card.jpki.verifyAuthPin(person.pin);
    const signature = await card.jpki.signSha256(message);
    const publicKey = read.certificate.publicKeyPem;
    say(
      `signature by the card: ${verify('sha256', message, publicKey, signature) ? 'verified' : 'DOES NOT VERIFY'} with its certificate`,
    );
    say(`${card.protocol.stats.apdus} APDUs, ${Math.round(performance.now() - started)} ms`);
  } finally {
    await connection.close();
    await readers?.close();
  }
}

async function keepOnReader(stack: PcscStack): Promise<void> {
  say('');
  say('The card stays on the reader. In another terminal:');
  say(`  export PCSCLITE_CSOCK_NAME=${stack.env.PCSCLITE_CSOCK_NAME}`);
  say('  npx kiosk card info');
  say('Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
