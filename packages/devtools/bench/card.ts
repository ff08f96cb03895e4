/**
 * Card benchmark: prints one JSON document.
 * - APDUs and bytes of a full read (certificate + My Number + basic four + card face with photo)
 *   with extended and with short APDUs, against the minimum APDU count the file sizes allow;
 * - host time per APDU over pcscd + vpcd, with and without quickack on the loopback route;
 * - host time of a whole full read, both ways.
 *
 *   npm run bench:card            (needs pcscd and vsmartcard-vpcd; run as root for namespaces)
 */
import { cpus, totalmem } from 'node:os';
import type { CardConnection } from '@myna/card/connection.js';
import { type FullRead, readCardFully } from '@myna/card/full-read.js';
import { MyNumberCard } from '@myna/card/my-number-card.js';
import { PcscReaders } from '@myna/card/pcsc/readers.js';
import { AID, CARD_FACE, JPKI, SHORT_READ_MAX, TEXT_INFO } from '@myna/card/spec.js';
import { tlvTotalLength } from '@myna/card/tlv.js';
import { verificationNumberB } from '@myna/card/verification-number.js';
import { buildCardContent } from '@myna/card-sim/card-content.js';
import type { AppName } from '@myna/card-sim/card-model.js';
import { peopleFile } from '@myna/card-sim/people.js';
import { loadPerson } from '@myna/card-sim/person.js';
import { pcscUnavailable, startPcscStack } from '@myna/card-sim/stack/pcsc-stack.js';

const PERSON = peopleFile('long-address');
const person = loadPerson(PERSON);
const secrets = {
  pin: person.pin!,
  numberB: verificationNumberB(person.birthDate, person.cardExpiry, person.securityCode),
};
const SELECT_JPKI = Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, AID.jpki.length, ...AID.jpki]);

/** Applications selected, secrets verified and files read by `readCardFully`. */
const APPLICATIONS = 3;
const VERIFIES = 2;

interface Stats {
  mean: number;
  p50: number;
  p99: number;
  n: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    mean: round(samples.reduce((a, b) => a + b, 0) / samples.length),
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    n: samples.length,
  };
}

async function withStack<T>(
  options: { quickack: boolean; simArgs?: string[] },
  use: (connection: CardConnection) => Promise<T>,
): Promise<T & { netns: boolean }> {
  const stack = await startPcscStack({ person: PERSON, ...options });
  const readers = await PcscReaders.open();
  try {
    const connection = await readers.connect(await readers.waitForCard({ timeoutMs: 5_000 }));
    try {
      return { ...(await use(connection)), netns: stack.netns !== null };
    } finally {
      await connection.close();
    }
  } finally {
    await readers.close();
    await stack.stop();
  }
}

async function perApdu(connection: CardConnection, count: number): Promise<Stats> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await connection.transmit(SELECT_JPKI);
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

async function fullReads(connection: CardConnection, count: number) {
  const ms: number[] = [];
  let last: { read: FullRead; apdus: number; bytesSent: number; bytesReceived: number } | undefined;
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const card = await MyNumberCard.recognise(connection);
    const read = await readCardFully(card, secrets);
    ms.push(performance.now() - t);
    last = { read, ...card.protocol.stats };
  }
  return { ms: stats(ms), ...last! };
}

/** The files a full read takes, from the card's own file system: their TLV content, filler excluded. */
function contentSizes(): Record<string, number> {
  const content = buildCardContent(person);
  const size = (app: AppName, ef: number): number => {
    const file = content.applications.find((a) => a.name === app)?.efs.get(ef);
    if (file?.kind !== 'binary') throw new Error(`no binary EF ${ef} in ${app}`);
    return tlvTotalLength(file.data) ?? file.data.length;
  };
  return {
    certificate: size('jpki', JPKI.ef.authCertificate),
    myNumber: size('textInfo', TEXT_INFO.ef.myNumber),
    basicFour: size('textInfo', TEXT_INFO.ef.basicFour),
    cardFace: size('cardFace', CARD_FACE.ef.face),
  };
}

async function main() {
  const problem = pcscUnavailable();
  if (problem) {
    process.stdout.write(`${JSON.stringify({ bench: 'card', skipped: problem })}\n`);
    return;
  }
  const quick = await withStack({ quickack: true }, async (c) => ({
    apdu: await perApdu(c, 300),
    full: await fullReads(c, 10),
  }));
  const slow = await withStack({ quickack: false }, async (c) => ({
    apdu: await perApdu(c, 20),
    full: await fullReads(c, 2),
  }));
  const short = await withStack({ quickack: true, simArgs: ['--no-extended'] }, async (c) => ({
    full: await fullReads(c, 5),
  }));

  const sizes = contentSizes();
  const files = Object.values(sizes);
  // Each application selected once, each secret verified once, each file read by its short EF id
  // (no SELECT EF): with extended APDUs one READ BINARY a file, else one per 256-byte chunk.
  const fixed = APPLICATIONS + VERIFIES;
  const minimumExtended = fixed + files.length;
  const minimumShort = fixed + files.reduce((n, size) => n + Math.ceil(size / SHORT_READ_MAX), 0);
  const result = {
    bench: 'card',
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    person: person.id,
    networkNamespace: quick.netns,
    fullRead: {
      extended: {
        apdus: quick.full.apdus,
        minimumApdus: minimumExtended,
        bytesSent: quick.full.bytesSent,
        bytesReceived: quick.full.bytesReceived,
        ms: quick.full.ms,
      },
      short: {
        apdus: short.full.apdus,
        minimumApdus: minimumShort,
        chunkBytes: SHORT_READ_MAX,
        bytesSent: short.full.bytesSent,
        bytesReceived: short.full.bytesReceived,
        ms: short.full.ms,
      },
      withoutQuickack: { apdus: slow.full.apdus, ms: slow.full.ms },
      fileBytes: sizes,
      photoBytes: quick.full.read.face.photo.length,
    },
    perApduMs: {
      quickack: quick.apdu,
      withoutQuickack: slow.apdu,
      speedup: Math.round((slow.apdu.mean / quick.apdu.mean) * 10) / 10,
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

await main();
