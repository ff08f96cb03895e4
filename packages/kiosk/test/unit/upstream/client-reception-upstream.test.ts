import { RARE_NAME, samplePerson, sampleResult } from '@myna/devtools/test-support/sample-result.js';
import { describe, expect, it } from 'vitest';
import { receptionUpstream } from '../../../src/upstream/client/reception-upstream.ts';
import type { QualificationAnswer } from '../../../src/upstream/client/upstream-client.ts';
import { isRefusal } from '../../../src/upstream/errors.ts';

const VISIT = '0b6c8d4e-1f2a-4b3c-8d9e-0f1a2b3c4d5e';

function clientAnswering(answer: QualificationAnswer) {
  const sent: string[] = [];
  return {
    sent,
    client: {
      nonce: async () => ({ nonce: 'n'.repeat(43), expiresAt: '2026-03-01T09:01:00.000Z' }),
      qualify: async (jws: string) => {
        sent.push(jws);
        return answer;
      },
    },
  };
}

describe('receptionUpstream', () => {
  it('hands the flow the name, birth date and registration, and the whole result as the document', async () => {
    const qualification = sampleResult();
    const { client, sent } = clientAnswering({
      visitId: VISIT,
      personRef: 'p-0123456789abcdef0123',
      insuranceUseRegistered: false,
      qualification,
    });
    const port = receptionUpstream(client);
    expect(await port.nonce()).toBe('n'.repeat(43));
    const visit = await port.verify('header.payload.signature');
    expect(sent).toEqual(['header.payload.signature']);
    expect(visit).toEqual({
      visitId: VISIT,
      personRef: 'p-0123456789abcdef0123',
      qualification: { displayName: RARE_NAME, birthDate: '1958-02-28', registered: false },
      document: qualification,
    });
  });

  it('sends an answer with several matching records to staff as a refusal', async () => {
    const qualification = sampleResult({
      body: {
        QualificationValidity: '5',
        ResultList: { ResultOfQualificationConfirmation: [samplePerson(), samplePerson({ Name: '別人' })] },
      },
    });
    const { client } = clientAnswering({
      visitId: VISIT,
      personRef: 'p-0123456789abcdef0123',
      insuranceUseRegistered: true,
      qualification,
    });
    const error = await receptionUpstream(client)
      .verify('header.payload.signature')
      .catch((e: unknown) => e);
    expect(isRefusal(error)).toBe(true);
    expect(error).toMatchObject({ code: 'no-single-qualification' });
    expect((error as Error).message).not.toContain(RARE_NAME);
  });
});
