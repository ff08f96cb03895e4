/** The face engine in its worker thread: same decisions as in-thread, and the main thread stays free. */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/face/image/decode.ts';
import { DEFAULT_MATCH_POLICY } from '../../src/face/match-policy.ts';
import { FaceWorkerClient } from '../../src/face/worker/face-worker-client.ts';

const SET = '../shared/faces/set-a';
const missing = existsSync(SET) ? null : `face set ${SET} is absent`;
if (missing) console.warn(`skipping face worker tests: ${missing}`);

describe.skipIf(missing)('face worker', () => {
  let client: FaceWorkerClient;

  beforeAll(async () => {
    ({ client } = await FaceWorkerClient.start('tiny'));
  }, 60_000);

  afterAll(async () => {
    await client?.stop();
  });

  it('matches off the main thread, which keeps ticking meanwhile', async () => {
    const card = await decodeImageFile(`${SET}/img22.jpg`);
    const same = await decodeImageFile(`${SET}/img23.jpg`);
    const gaps: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }, 10);
    const result = await client.match(card, [same], DEFAULT_MATCH_POLICY);
    clearInterval(timer);
    expect(result.decision).toBe('accept');
    expect(result.frames).toHaveLength(1);
    // Frames were handed over, not copied: nothing of them is left on this side.
    expect(card.data.length).toBe(0);
    expect(same.data.length).toBe(0);
    expect(gaps.length).toBeGreaterThan(5);
    expect(Math.max(...gaps)).toBeLessThan(150);
  });

  it('refuses a different person', async () => {
    const card = await decodeImageFile(`${SET}/img1.jpg`);
    const other = await decodeImageFile(`${SET}/img3.jpg`);
    const result = await client.match(card, [other], DEFAULT_MATCH_POLICY);
    expect(result.decision).toBe('reject');
    expect(result.reasons).toEqual(['no-match']);
  });
});
