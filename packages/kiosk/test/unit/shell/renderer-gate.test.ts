import { describe, expect, it } from 'vitest';
import type { PatientCommand } from '../../../src/common/ui-protocol.ts';
import { DEFAULT_GATE_LIMITS, RendererGate } from '../../../src/shell/renderer-gate.ts';

function gate(limits = DEFAULT_GATE_LIMITS) {
  let now = 0;
  const commands: PatientCommand[] = [];
  const frames: Uint8Array[] = [];
  let ready = 0;
  const subject = new RendererGate(
    {
      patient: (command) => commands.push(command),
      frame: (jpeg) => frames.push(jpeg),
      ready: () => {
        ready += 1;
      },
    },
    undefined,
    limits,
    undefined,
    () => now,
  );
  return {
    subject,
    commands,
    frames,
    ready: () => ready,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2]);

describe('renderer gate (shared by the WebSocket and IPC paths)', () => {
  it('passes patient commands and ready, nothing else', () => {
    const { subject, commands, ready } = gate();
    expect(
      subject.text(JSON.stringify({ type: 'patient', command: { type: 'PIN_DIGIT', digit: 7 } })),
    ).toBeNull();
    expect(subject.message({ type: 'patient', command: { type: 'CONSENT', agree: false } })).toBeNull();
    expect(subject.message({ type: 'ready' })).toBeNull();
    expect(commands).toEqual([
      { type: 'PIN_DIGIT', digit: 7 },
      { type: 'CONSENT', agree: false },
    ]);
    expect(ready()).toBe(1);

    const refused: [unknown, string][] = [
      [{ type: 'patient', command: { type: 'STAFF_CONFIRMED' } }, 'not-a-command'],
      [{ type: 'patient', command: { type: 'PIN_ENTERED', pin: '1234' } }, 'not-a-command'],
      [{ type: 'patient', command: { type: 'PIN_DIGIT', digit: 12 } }, 'not-a-command'],
      [{ type: 'patient', command: { type: 'CHOOSE_FACE', extra: 1 } }, 'not-a-command'],
      [{ type: 'patient' }, 'not-a-message'],
      [{ type: 'patient', command: { type: 'CANCEL' }, extra: 1 }, 'not-a-message'],
      [{ type: 'ready', now: true }, 'not-a-message'],
      [{ type: 'staff', command: { type: 'STAFF_CONFIRMED' } }, 'not-a-message'],
      [null, 'not-a-message'],
      ['CHOOSE_PIN', 'not-a-message'],
      [[{ type: 'ready' }], 'not-a-message'],
    ];
    for (const [value, reason] of refused) expect(subject.message(value)).toBe(reason);
    expect(subject.text('{"type":')).toBe('not-json');
    expect(subject.text(JSON.stringify({ type: 'ready', pad: 'x'.repeat(5000) }))).toBe('too-large');
    expect(commands).toHaveLength(2);
    expect(subject.dropped['not-a-command']).toBe(4);
    expect(subject.dropped['not-json']).toBe(1);
  });

  it('passes JPEG frames within the size limit, from any byte container IPC may deliver', () => {
    const { subject, frames } = gate();
    expect(subject.frame(JPEG)).toBeNull();
    expect(subject.frame(JPEG.slice().buffer)).toBeNull();
    expect(subject.frame(new DataView(JPEG.slice().buffer))).toBeNull();
    expect(frames.map((frame) => [...frame])).toEqual([[...JPEG], [...JPEG], [...JPEG]]);

    const big = new Uint8Array(DEFAULT_GATE_LIMITS.maxFrameBytes + 1);
    big.set(JPEG);
    expect(subject.frame(big)).toBe('too-large');
    expect(subject.frame(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d]))).toBe('not-jpeg');
    expect(subject.frame('ffd8ff')).toBe('not-a-frame');
    expect(subject.frame({ length: 4 })).toBe('not-a-frame');
    expect(frames).toHaveLength(3);
  });

  it('drops what comes faster than the rate limits, and lets it through again later', () => {
    const { subject, frames, commands, advance } = gate({
      ...DEFAULT_GATE_LIMITS,
      framesPerSecond: 5,
      messagesPerSecond: 3,
    });
    const results = Array.from({ length: 8 }, () => subject.frame(JPEG));
    expect(results.filter((result) => result === null)).toHaveLength(5);
    expect(results.slice(5)).toEqual(['rate', 'rate', 'rate']);
    const tap = { type: 'patient', command: { type: 'CONTINUE' } };
    expect([1, 2, 3, 4].map(() => subject.message(tap))).toEqual([null, null, null, 'rate']);
    advance(1000);
    expect(subject.frame(JPEG)).toBeNull();
    expect(subject.message(tap)).toBeNull();
    expect(frames).toHaveLength(6);
    expect(commands).toHaveLength(4);
    expect(subject.dropped.rate).toBe(4);
  });
});
