import { readFile } from 'node:fs/promises';
import { summarizeCard } from '@myna/card/card-summary.js';
import { PcscReaders } from '@myna/card/pcsc/readers.js';
import { Command, Option } from 'commander';
import { writeFileAtomic } from '../common/node/write-file-atomic.ts';
import { type CardAccessOptions, type VirtualCards, withMyNumberCard } from './card-access.ts';
import { cardOcrCommand } from './card-ocr-command.ts';
import { printResult } from './output.ts';

interface Common extends CardAccessOptions {
  json?: boolean;
}

export interface CardIo {
  /** Offers `--virtual-card` (the testbed's CLI passes the simulator in). */
  virtualCards?: VirtualCards;
}

export function cardCommand(io: CardIo = {}): Command {
  const commonOptions = (command: Command): Command => {
    command
      .option('--reader <name>', 'reader to use (default: the first reader with a card)')
      .option('--wait <seconds>', 'wait this long for a card to be placed', '0');
    if (io.virtualCards)
      command.addOption(
        new Option(
          '--virtual-card <person.json>',
          'use an in-process virtual card instead of PC/SC (development)',
        ),
      );
    return command.option('--json', 'print JSON for machines');
  };
  const withCard = <T>(options: CardAccessOptions, use: Parameters<typeof withMyNumberCard<T>>[2]) =>
    withMyNumberCard(options, io.virtualCards, use);
  const card = new Command('card').description('read and use a My Number card through PC/SC');

  card
    .command('readers')
    .description('the readers pcscd knows, and the ATR of the card on each')
    .option('--json', 'print JSON for machines')
    .action(async (options: { json?: boolean }) => {
      const readers = await PcscReaders.open();
      const list = readers.readers().map((r) => ({
        name: r.name,
        card: r.cardPresent,
        atr: r.atr ? Buffer.from(r.atr).toString('hex').toUpperCase() : null,
      }));
      await readers.close();
      printResult(options, list, () => list.map((r) => `${r.name}\t${r.atr ? `card ${r.atr}` : 'empty'}`));
    });

  commonOptions(card.command('info'))
    .description('reader, ATR, certificate and PIN tries left, without any PIN and without consuming a try')
    .action(async (options: Common) => {
      const summary = await withCard(options, (c, conn) => summarizeCard(conn, c));
      printResult(options, summary, () => [
        `reader:       ${summary.reader}`,
        `ATR:          ${summary.atr}`,
        `card:         My Number card (${summary.tokenLabel})${summary.pinless ? ', PIN-less' : ''}`,
        `certificate:  ${summary.certificate.subject}`,
        `  serial:     ${summary.certificate.serialNumber}`,
        `  issuer:     ${summary.certificate.issuer}`,
        `  valid:      ${summary.certificate.validFrom} – ${summary.certificate.validTo}${summary.certificate.expired ? ' (EXPIRED)' : ''}`,
        `PIN tries:    authentication ${triesText(summary.pin.authentication)}, card info ${triesText(summary.pin.cardInfo)}`,
      ]);
    });

  commonOptions(card.command('read'))
    .description(
      'adds the My Number and the basic four (name, address, birth date, sex); needs the card-info PIN',
    )
    .requiredOption('--pin <pin>', '4-digit card-info PIN (券面事項入力補助用)')
    .action(async (options: Common & { pin: string }) => {
      const result = await withCard(options, async (c, conn) => {
        const summary = await summarizeCard(conn, c);
        const textInfo = await c.textInfo();
        await textInfo.verifyPin(options.pin);
        return { ...summary, myNumber: await textInfo.myNumber(), ...(await textInfo.basicFour()) };
      });
      printResult(options, result, () => [
        `reader:       ${result.reader}`,
        `My Number:    ${result.myNumber}`,
        `name:         ${result.name}`,
        `address:      ${result.address}`,
        `birth date:   ${result.birthDate}`,
        `sex:          ${result.sex}`,
      ]);
    });

  commonOptions(card.command('photo'))
    .description('writes the face photo as stored in the card-face application (JPEG 2000)')
    .requiredOption(
      '--verification <number>',
      '照合番号B: birth date YYMMDD (era year) + expiry year YYYY + security code',
    )
    .requiredOption('--out <file>', 'where to write the photo')
    .action(async (options: Common & { verification: string; out: string }) => {
      const face = await withCard(options, async (c) => {
        const session = await c.cardFace();
        await session.verifyNumberB(options.verification);
        return session.face();
      });
      await writeFileAtomic(options.out, face.photo, 0o600);
      const result = { file: options.out, bytes: face.photo.length, format: face.photoFormat };
      face.photo.fill(0);
      printResult(options, result, () => [`wrote ${result.file} (${result.bytes} bytes, ${result.format})`]);
    });

  commonOptions(card.command('sign'))
    .description('signs SHA-256(FILE) with the user-authentication key (RSA PKCS#1 v1.5); needs its PIN')
    .requiredOption('--pin <pin>', '4-digit user-authentication PIN (利用者証明用)')
    .requiredOption('--in <file>', 'file to sign')
    .action(async (options: Common & { pin: string; in: string }) => {
      const message = await readFile(options.in);
      const result = await withCard(options, async (c) => {
        const certificate = await c.jpki.authCertificate();
        await c.jpki.verifyAuthPin(options.pin);
        const signature = await c.jpki.signSha256(message);
        return {
          algorithm: 'sha256WithRSAEncryption',
          signature: Buffer.from(signature).toString('base64'),
          certificate: certificate.pem,
          publicKey: certificate.publicKeyPem,
        };
      });
      printResult(options, result, () => [result.signature]);
    });

  card.addCommand(cardOcrCommand());

  return card;
}

function triesText(status: { state: string; triesLeft: number | null }): string {
  if (status.state === 'ready') return `${status.triesLeft} left`;
  return status.state;
}
