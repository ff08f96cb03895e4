import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimControlClient, SimControlServer } from '../../src/control.ts';
import { peopleFile } from '../../src/people.ts';
import { SimHost } from '../../src/sim-host.ts';
import { hex, selectApp, selectEf, toHex, verify } from './card-helpers.ts';
import { FakeVpcd } from './fake-vpcd.ts';

let vpcd: FakeVpcd;
let host: SimHost;
let server: SimControlServer;
let client: SimControlClient;
const lines: string[] = [];

beforeAll(async () => {
  vpcd = await FakeVpcd.start();
  host = new SimHost(peopleFile('middle-aged'), { port: vpcd.port, retryMs: 20 });
  host.on('status', (line) => lines.push(line));
  const path = join(mkdtempSync(join(tmpdir(), 'sim-control-')), 'sim.sock');
  server = await SimControlServer.listen(path, host);
  client = await SimControlClient.connect(path);
});

afterAll(async () => {
  client.close();
  await server.close();
  await host.remove();
  await vpcd.stop();
});

describe('control channel', () => {
  it('insert, status, remove', async () => {
    expect(await client.send({ cmd: 'insert' })).toEqual({ ok: true });
    await vpcd.accepted();
    expect(toHex((await vpcd.exchange(hex(selectApp('jpki'))))!)).toBe('9000');
    const status = await client.status();
    expect(status).toMatchObject({ ok: true, inserted: true, person: 'middle-aged' });
    expect(status.commandCount).toBe(1);
    expect(status.triesLeft['jpki.authPin']).toBe(3);
    await client.remove();
    expect((await client.status()).inserted).toBe(false);
    expect(lines.some((l) => l.startsWith('card inserted (person middle-aged'))).toBe(true);
    expect(lines).toContain('card removed (removed)');
  });

  it('arms a fault that the next APDUs meet', async () => {
    await client.insert();
    await vpcd.accepted();
    await client.fault({ atCommand: 2, kind: 'status', sw: 0x6581 });
    expect(toHex((await vpcd.exchange(hex(selectApp('jpki'))))!)).toBe('9000');
    expect(toHex((await vpcd.exchange(hex(selectApp('jpki'))))!)).toBe('6581');
  });

  it('swaps the person: removed, loaded, inserted', async () => {
    await client.person(peopleFile('elderly'));
    await vpcd.accepted();
    expect(await client.status()).toMatchObject({ inserted: true, person: 'elderly', commandCount: 0 });
    expect(lines).toContain('person elderly loaded');
  });

  it('a bad person file is an error reply and the current card stays', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'sim-bad-')), 'bad.json');
    writeFileSync(bad, '{"id":"x"}');
    const reply = await client.send({ cmd: 'person', file: bad });
    expect(reply.ok).toBe(false);
    expect(reply).toMatchObject({ error: expect.stringContaining(`person file ${bad}: `) });
    expect(await client.status()).toMatchObject({ inserted: true, person: 'elderly' });
  });

  it('answers malformed requests with ok:false, one line each, in order', async () => {
    const replies = await Promise.all([
      client.send({ cmd: 'dance' } as never),
      client.send({ cmd: 'fault', atCommand: 0, kind: 'status' }),
      client.send({ cmd: 'status' }),
    ]);
    expect(replies.map((r) => r.ok)).toEqual([false, false, true]);
  });

  it('never puts a PIN in status lines or replies', async () => {
    await vpcd.exchange(hex(selectApp('jpki')));
    await vpcd.exchange(hex(selectEf(0x0018)));
    await vpcd.exchange(hex(verify('0303')));
    const status = JSON.stringify(await client.status());
    expect(status).not.toContain('0303');
    expect(lines.join('\n')).not.toContain('0303');
  });

  it('quit replies, then removes the card and tells the host', async () => {
    const quit = once(host, 'quit');
    expect(await client.send({ cmd: 'quit' })).toEqual({ ok: true });
    await quit;
    expect(host.status().inserted).toBe(false);
  });
});
