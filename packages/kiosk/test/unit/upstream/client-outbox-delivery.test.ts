import { describe, expect, it } from 'vitest';
import type { ConsentRecord } from '../../../src/reception/ports.ts';
import type { OutboxItem } from '../../../src/store/outbox.ts';
import {
  OutboxDeliveryError,
  outboxDelivery,
  type SettledRefusal,
  settlesItem,
} from '../../../src/upstream/client/outbox-delivery.ts';
import { UpstreamResponseError } from '../../../src/upstream/client/problem.ts';
import { UpstreamError } from '../../../src/upstream/errors.ts';

const VISIT = '0b6c8d4e-1f2a-4b3c-8d9e-0f1a2b3c4d5e';
const consents: ConsentRecord = {
  visitId: VISIT,
  items: [{ item: 'medication', agreed: true, at: '2026-03-01T09:00:00.000Z' }],
};

function item(kind: string, payload: unknown, id = 7): OutboxItem {
  return {
    id,
    kind,
    idempotencyKey: `key-${id}-0123456789`,
    payload,
    state: 'pending',
    attempts: 2,
    createdAt: '2026-03-01T09:00:00.000Z',
    nextAttemptAt: '2026-03-01T09:00:00.000Z',
    lastError: null,
    deliveredAt: null,
  };
}

function refusal(status: number, code: string, withProblem = true) {
  const problem = withProblem ? { type: null, title: null, status, code, detail: null } : null;
  return new UpstreamResponseError('refused', code, `refused ${code}`, status, problem, null);
}

function fakeClient(fail?: unknown) {
  const calls: string[] = [];
  return {
    calls,
    client: {
      async register(visitId: string, key: string) {
        calls.push(`register ${visitId} ${key}`);
        if (fail) throw fail;
        return {
          visitId,
          personRef: 'p-1',
          insuranceUseRegistered: true as const,
          registeredAt: '2026-03-01T09:00:01.000Z',
        };
      },
      async recordConsents(record: ConsentRecord, key: string) {
        calls.push(`consents ${record.visitId} ${record.items.length} ${key}`);
        if (fail) throw fail;
        return {} as never;
      },
    },
  };
}

describe('outboxDelivery', () => {
  it('sends each kind to its endpoint with the item’s idempotency key', async () => {
    const { client, calls } = fakeClient();
    const send = outboxDelivery(client, { onSettled: () => expect.fail('nothing to settle') });
    await send(item('consent.record', consents, 1));
    await send(item('insurance.register', { visitId: VISIT }, 2));
    expect(calls).toEqual([`consents ${VISIT} 1 key-1-0123456789`, `register ${VISIT} key-2-0123456789`]);
  });

  it('hands the answer to delivered consents on, and a failure there does not undo the delivery', async () => {
    const { client } = fakeClient();
    const answers: unknown[] = [];
    const send = outboxDelivery(client, {
      onSettled: () => expect.fail('nothing to settle'),
      onConsentsDelivered: (delivered, answer) => {
        answers.push([delivered.id, answer]);
        throw new Error('the result folder is full');
      },
    });
    await expect(send(item('consent.record', consents, 3))).resolves.toBeUndefined();
    await send(item('insurance.register', { visitId: VISIT }, 4));
    expect(answers).toEqual([[3, {}]]);
  });

  it('refuses a kind it does not know, so the item stays pending', async () => {
    const { client, calls } = fakeClient();
    const send = outboxDelivery(client, { onSettled: () => {} });
    const error = await send(item('limit.share', {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboxDeliveryError);
    expect(error).toMatchObject({ code: 'unknown-kind' });
    expect((error as Error).message).toContain('"limit.share"');
    expect(calls).toEqual([]);
  });

  it('settles an item the upstream refuses for good, after recording why', async () => {
    const refused = refusal(404, 'visit-unknown');
    const { client } = fakeClient(refused);
    const settled: SettledRefusal[] = [];
    const send = outboxDelivery(client, { onSettled: (r) => void settled.push(r) });
    await expect(send(item('insurance.register', { visitId: VISIT }))).resolves.toBeUndefined();
    expect(settled).toHaveLength(1);
    expect(settled[0]!.error).toBe(refused);
    expect(settled[0]!.item.id).toBe(7);
  });

  it('keeps the item pending when the refusal cannot be recorded', async () => {
    const { client } = fakeClient(refusal(400, 'malformed-request'));
    const send = outboxDelivery(client, {
      onSettled: () => {
        throw new Error('audit log full');
      },
    });
    await expect(send(item('consent.record', consents))).rejects.toThrow('audit log full');
  });

  it('keeps retrying outages, rate limits and refusals about the kiosk itself', async () => {
    for (const error of [
      new UpstreamError('unreachable', 'connection-refused', 'down'),
      new UpstreamError('timed-out', 'timed-out', 'slow'),
      refusal(429, 'rate-limited'),
      refusal(403, 'kiosk-revoked'),
      refusal(401, 'certificate-revoked'),
    ]) {
      const { client } = fakeClient(error);
      const send = outboxDelivery(client, { onSettled: () => expect.fail(`settled ${error.code}`) });
      await expect(send(item('consent.record', consents))).rejects.toBe(error);
    }
  });
});

describe('settlesItem', () => {
  it('settles only item-level refusals the upstream stated in a problem document', () => {
    for (const [status, code] of [
      [400, 'malformed-request'],
      [404, 'visit-unknown'],
      [409, 'nonce-replayed'],
      [413, 'body-too-large'],
      [415, 'unsupported-media-type'],
      [422, 'idempotency-key-reused'],
    ] as const)
      expect(settlesItem(refusal(status, code)), code).toBe(true);
    // An endpoint the upstream lacks, or a 404 from something in between, is not the item's fault.
    expect(settlesItem(refusal(404, 'not-found'))).toBe(false);
    expect(settlesItem(refusal(404, 'http-404', false))).toBe(false);
    expect(settlesItem(refusal(403, 'client-not-allowed'))).toBe(false);
    expect(settlesItem(new UpstreamError('refused', 'visit-unknown', 'no status'))).toBe(false);
  });
});
