/**
 * The CPU backend, the last fallback, must find faces like the others: it keeps the caller's pixel
 * array as tensor storage, so wiping that array too early once blanked every frame.
 */

import { facesSkipReason, loadFace } from '@myna/devtools/test-support/face-images.js';
import { describe, expect, it } from 'vitest';
import { FaceEngine } from '../../src/face/engine/face-engine.ts';

const skip = facesSkipReason();
if (skip) console.warn(`skipping face backend test: ${skip}`);

describe.skipIf(skip)('face engine on the CPU backend', () => {
  it('finds the face and computes a descriptor', async () => {
    const engine = await FaceEngine.load({ detector: 'tiny', describer: 'faceapi', backends: ['cpu'] });
    expect(engine.backend).toBe('cpu');
    const analysis = await engine.analyze(await loadFace('img2.jpg'), { descriptor: true });
    expect(analysis.faces).toHaveLength(1);
    expect(analysis.descriptor).toHaveLength(128);
  }, 60_000);

  it("gives face-api's landmarks to the arcface descriptor", async () => {
    const engine = await FaceEngine.load({ detector: 'tiny', backends: ['cpu'] });
    const analysis = await engine.analyze(await loadFace('img2.jpg'), { descriptor: true });
    expect(analysis.faces).toHaveLength(1);
    expect(analysis.descriptor).toHaveLength(512);
  }, 60_000);
});
