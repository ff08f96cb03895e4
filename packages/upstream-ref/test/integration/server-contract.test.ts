/**
 * The upstream holds to the protocol's route schemas on both sides: a body they refuse is the
 * protocol's problem document naming the members (never the values sent), and the answers parse
 * with the same schemas the kiosk parses them with.
 */
import { randomUUID } from 'node:crypto';
import { describeOnDatabases } from '@myna/devtools/test-support/postgres.js';
import { type UpstreamClient, upstreamClient } from '@myna/devtools/test-support/upstream-pki.js';
import { simulatorCards } from '@myna/devtools/upstream/simulator-cards.js';
import { PROBLEM_CONTENT_TYPE, problemType } from '@myna/protocol/problem.js';
import { listCheckupRegistration } from '@myna/protocol/routes/insurers.js';
import { issueNonce } from '@myna/protocol/routes/nonces.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningUpstream, startUpstream } from '../../src/start-upstream.ts';

describeOnDatabases('the route contract', (backend) => {
  let upstream: RunningUpstream;
  let kiosk: UpstreamClient;
  let staff: UpstreamClient;

  beforeAll(async () => {
    upstream = await startUpstream({ ...simulatorCards(), db: await backend.freshUrl() });
    kiosk = upstreamClient(upstream, upstream.pki.kioskClient('kiosk-c-0001'));
    staff = upstreamClient(upstream, upstream.pki.staffClient('dr-contract', 'doctor'));
  });
  afterAll(async () => {
    await upstream?.close();
  });

  it('refuses a body against the route schema with a problem document naming members, not values', async () => {
    const answer = await kiosk.post(
      '/v1/registrations',
      { visitId: 'patient-7f3a', note: 'x' },
      { 'idempotency-key': randomUUID() },
    );
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(
      new RegExp(`^${PROBLEM_CONTENT_TYPE.replace('+', '\\+')}`),
    );
    expect(answer.problem).toMatchObject({
      code: 'malformed-request',
      type: problemType('malformed-request'),
    });
    expect(answer.problem.detail).toMatch(/visitId: /);
    expect(answer.problem.detail).toMatch(/unexpected member note/);
    expect(answer.problem.detail).not.toContain('patient-7f3a');

    const nested = await kiosk.post(
      '/v1/consents',
      { visitId: randomUUID(), items: [{ item: 'medication', agreed: 'yes', at: new Date().toISOString() }] },
      { 'idempotency-key': randomUUID() },
    );
    expect(nested.problem.code).toBe('malformed-request');
    expect(nested.problem.detail).toMatch(/^items\.0\.agreed: /);
  });

  it('refuses a staff certificate on a kiosk route before it looks at the body', async () => {
    const answer = await staff.post(
      '/v1/registrations',
      { wrong: true },
      { 'idempotency-key': randomUUID() },
    );
    expect(answer.status).toBe(403);
    expect(answer.problem.code).toBe('client-not-allowed');
  });

  it('answers what the protocol’s answer schemas accept', async () => {
    const nonce = await kiosk.post('/v1/nonces');
    expect(nonce.status).toBe(issueNonce.status);
    expect(issueNonce.answer.safeParse(nonce.body).success).toBe(true);
    const insurers = await staff.get('/v1/insurers/checkup-registration');
    expect(listCheckupRegistration.answer.parse(insurers.body).insurers.length).toBeGreaterThan(0);
  });
});
