/**
 * Every `kiosk card …` command from outside, as a separate process, through real pcscd + vpcd +
 * the virtual card: the path clinic IT and the held-out checks take.
 */
import { execFile } from 'node:child_process';
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcscReaders } from '@myna/card/pcsc/readers.js';
import { verificationNumberB } from '@myna/card/verification-number.js';
import { PEOPLE_DIR } from '@myna/card-sim/people.js';
import { loadPerson } from '@myna/card-sim/person.js';
import { type PcscStack, pcscSkipReason, startPcscStack } from '@myna/card-sim/stack/pcsc-stack.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PEOPLE = PEOPLE_DIR;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let stack: PcscStack;
let work: string;

function kiosk(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/kiosk.js', ...args],
      { env: { ...process.env, ...stack.env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON is checked field by field below.
async function kioskJson(...args: string[]): Promise<{ code: number; json: any; stderr: string }> {
  const run = await kiosk(...args, '--json', '--wait', '5');
  return { code: run.code, json: JSON.parse(run.stdout), stderr: run.stderr };
}

/** pcscd polls vpcd for presence every 400 ms: wait until it has seen the card go. */
async function cardGone(): Promise<void> {
  const readers = await PcscReaders.open();
  try {
    const present = () => readers.readers().find((r) => r.name === stack.readerName)?.cardPresent;
    if (present()) await once(readers, 'card-removed');
  } finally {
    await readers.close();
  }
}

async function useCard(id: string) {
  await stack.control.person(`${PEOPLE}/${id}.json`);
  return loadPerson(`${PEOPLE}/${id}.json`);
}

describe.skipIf(pcscSkipReason())('kiosk card commands through pcscd + vpcd', () => {
  beforeAll(async () => {
    stack = await startPcscStack({ person: `${PEOPLE}/middle-aged.json` });
    work = mkdtempSync(join(tmpdir(), 'kiosk-cli-'));
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('card info: reader, ATR, certificate and tries left, consuming no try', async () => {
    await useCard('middle-aged');
    const first = await kioskJson('card', 'info');
    expect(first.code).toBe(0);
    const info = first.json;
    expect(info.reader).toBe(stack.readerName);
    expect(info.atr).toBe('3BE000FF8131FE4514');
    expect(info.kind).toBe('my-number-card');
    expect(info.tokenLabel).toBe('JPKIAPICCTOKEN2');
    expect(info.pinless).toBe(false);
    expect(info.certificate.issuer).toMatch(/JPKI test user-authentication CA/);
    expect(info.certificate.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(info.certificate.expired).toBe(false);
    expect(info.pin.authentication).toEqual({ state: 'ready', triesLeft: 3 });
    expect(info.pin.cardInfo).toEqual({ state: 'ready', triesLeft: 3 });
    // Asking again changes nothing: the tries-left query is not a try.
    expect((await kioskJson('card', 'info')).json.pin).toEqual(info.pin);
  });

  it('card read: the My Number and the basic four, rare kanji exactly', async () => {
    const person = await useCard('young-rare-kanji');
    const { code, json } = await kioskJson('card', 'read', '--pin', person.pin!);
    expect(code).toBe(0);
    expect(json.myNumber).toBe(person.myNumber);
    expect(json.name).toBe(person.name);
    expect([...json.name]).toContain('𠮷');
    expect(json.name).toContain('葛\u{E0100}');
    expect(json.address).toBe(person.address);
    expect(json.birthDate).toBe(person.birthDate);
    expect(json.sex).toBe('female');
  });

  it('counts wrong PINs down, resets on the right one, and blocks at the third wrong one', async () => {
    const person = await useCard('middle-aged');
    const wrong = person.pin === '0000' ? '1111' : '0000';
    let r = await kioskJson('card', 'read', '--pin', wrong);
    expect(r.code).toBe(4);
    expect(r.json.error).toMatchObject({ code: 'wrong-pin', triesLeft: 2 });
    expect(r.stderr).toBe('kiosk: wrong card-info PIN: 2 tries left\n');
    expect(r.stderr).not.toContain(wrong);
    expect((await kioskJson('card', 'info')).json.pin.cardInfo).toEqual({ state: 'ready', triesLeft: 2 });

    expect((await kioskJson('card', 'read', '--pin', person.pin!)).code).toBe(0);
    expect((await kioskJson('card', 'info')).json.pin.cardInfo).toEqual({ state: 'ready', triesLeft: 3 });

    expect((await kioskJson('card', 'read', '--pin', wrong)).json.error.triesLeft).toBe(2);
    expect((await kioskJson('card', 'read', '--pin', wrong)).json.error.triesLeft).toBe(1);
    r = await kioskJson('card', 'read', '--pin', wrong);
    expect(r.code).toBe(5);
    expect(r.json.error.code).toBe('pin-blocked');
    // Blocked means blocked: the right PIN no longer opens it.
    r = await kioskJson('card', 'read', '--pin', person.pin!);
    expect(r.code).toBe(5);
    expect((await kioskJson('card', 'info')).json.pin.cardInfo).toEqual({ state: 'blocked', triesLeft: 0 });
    // The JPKI PIN is a separate counter and was never touched.
    expect((await kioskJson('card', 'info')).json.pin.authentication).toEqual({
      state: 'ready',
      triesLeft: 3,
    });
  });

  it('refuses a PIN that is not 4 digits without sending it to the card', async () => {
    await useCard('middle-aged');
    const r = await kioskJson('card', 'read', '--pin', '12a4');
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('invalid-input');
    expect((await kioskJson('card', 'info')).json.pin.cardInfo.triesLeft).toBe(3);
  });

  it('card photo: the photo exactly as stored, opened with 照合番号B', async () => {
    const person = await useCard('elderly');
    const out = join(work, 'photo.jp2');
    const numberB = verificationNumberB(person.birthDate, person.cardExpiry, person.securityCode);
    const { code, json } = await kioskJson('card', 'photo', '--verification', numberB, '--out', out);
    expect(code).toBe(0);
    expect(json).toEqual({ file: out, bytes: person.photoJp2.length, format: 'jp2' });
    expect(Buffer.compare(readFileSync(out), Buffer.from(person.photoJp2))).toBe(0);

    const badOut = join(work, 'bad.jp2');
    const wrongB = `${numberB.slice(0, 10)}${numberB.slice(10) === '0000' ? '1111' : '0000'}`;
    const bad = await kioskJson('card', 'photo', '--verification', wrongB, '--out', badOut);
    expect(bad.code).toBe(4);
    expect(bad.json.error.message).toMatch(/wrong verification number B: \d+ tries left/);
    expect(() => readFileSync(badOut)).toThrow();
  });

  it('card sign: a signature that openssl and node:crypto verify with the certificate', async () => {
    const person = await useCard('middle-aged');
    const file = join(work, 'request.json');
    writeFileSync(file, JSON.stringify({ nonce: 'n-1', kiosk: 'k-1' }));
    const { code, json } = await kioskJson('card', 'sign', '--pin', person.pin!, '--in', file);
    expect(code).toBe(0);
    const signature = Buffer.from(json.signature, 'base64');
    expect(signature.length).toBe(256);
    const cert = new X509Certificate(json.certificate);
    expect(verify('sha256', readFileSync(file), cert.publicKey, signature)).toBe(true);
    expect(verify('sha256', Buffer.from('other'), createPublicKey(json.publicKey), signature)).toBe(false);

    writeFileSync(join(work, 'pub.pem'), json.publicKey);
    writeFileSync(join(work, 'sig.bin'), signature);
    const openssl = await new Promise<string>((resolve) =>
      execFile(
        'openssl',
        ['dgst', '-sha256', '-verify', join(work, 'pub.pem'), '-signature', join(work, 'sig.bin'), file],
        (_e, stdout) => resolve(stdout),
      ),
    );
    expect(openssl.trim()).toBe('Verified OK');
  });

  it('card sign on a blocked card: exit 5, and no try is spent', async () => {
    const person = await useCard('pin-blocked');
    const file = join(work, 'm.txt');
    writeFileSync(file, 'x');
    expect((await kioskJson('card', 'info')).json.pin.authentication).toEqual({
      state: 'blocked',
      triesLeft: 0,
    });
    const r = await kioskJson('card', 'sign', '--pin', person.pin!, '--in', file);
    expect(r.code).toBe(5);
    expect(r.json.error.code).toBe('pin-blocked');
  });

  it('shows an expired certificate and a PIN-less card for what they are', async () => {
    await useCard('expired-certificate');
    const expired = (await kioskJson('card', 'info')).json;
    expect(expired.certificate.expired).toBe(true);
    expect(Date.parse(expired.certificate.validTo)).toBeLessThan(Date.now());

    await useCard('pinless');
    const pinless = (await kioskJson('card', 'info')).json;
    expect(pinless.pinless).toBe(true);
    expect(pinless.pin.authentication).toEqual({ state: 'absent', triesLeft: null });
    const file = join(work, 'm2.txt');
    writeFileSync(file, 'x');
    const r = await kioskJson('card', 'sign', '--pin', '1234', '--in', file);
    expect(r.code).toBe(10);
    expect(r.json.error.message).toMatch(/PIN-less card/);
  });

  it('says "not a My Number card" for a card that refuses the JPKI application', async () => {
    await useCard('middle-aged');
    // SELECT of the JPKI AP is the first command a kiosk sends: make the card refuse it.
    await stack.control.fault({ atCommand: 1, kind: 'status', sw: 0x6a82 });
    const r = await kioskJson('card', 'info');
    expect(r.code).toBe(6);
    expect(r.json.error.code).toBe('not-my-number-card');
    expect(r.stderr).toBe('kiosk: not a My Number card: the JPKI application could not be selected\n');
  });

  it('says there is no card, and chooses a reader by name', async () => {
    await useCard('middle-aged');
    await stack.control.remove();
    await cardGone();
    const none = await kiosk('card', 'info', '--json');
    expect(none.code).toBe(3);
    expect(JSON.parse(none.stdout).error.code).toBe('no-card');
    await stack.control.insert();
    const named = await kioskJson('card', 'info', '--reader', stack.readerName);
    expect(named.code).toBe(0);
    const unknown = await kiosk('card', 'info', '--reader', 'No Such Reader 00 00');
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(
      /^kiosk: reader "No Such Reader 00 00" not found; readers: .*Virtual PCD 00 00/,
    );
  });

  it('answers a usage error with one line and exit 2', async () => {
    const r = await kiosk('card', 'read');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/required option '--pin <pin>' not specified/);
  });
});
