/**
 * The card camera and the card-front reader joined into what the 照合番号B gate asks for: one read
 * per call, of the newest still of the tray. The reader's engine loads at start-up (its model takes
 * a moment), so the first patient does not wait for it; a reader that fails to load leaves the
 * kiosk without optical reads (the face path then offers the PIN) rather than without a kiosk.
 */
import { log } from '../common/node/log.ts';
import type { CardCamera } from './card-camera.ts';
import type { CardFrontReader } from './card-front-reader.ts';
import type { CardFrontSource } from './number-b-gate.ts';

export interface OpticalCardFront {
  source: CardFrontSource;
  close(): Promise<void>;
}

export function opticalCardFront(camera: CardCamera, reader: Promise<CardFrontReader>): OpticalCardFront {
  const ready = reader.catch((error: unknown) => {
    log.error({ err: error }, 'card-front reader did not start: the face path will offer the PIN');
    return null;
  });
  return {
    async source() {
      const engine = await ready;
      if (!engine) return null;
      const still = await camera.frame();
      if (!still) return { problem: 'no-camera-frame' };
      try {
        const outcome = await engine.read(still);
        return outcome.ok ? outcome.read : { problem: outcome.problem };
      } finally {
        still.fill(0);
      }
    },
    async close() {
      await (await ready)?.close();
      await camera.close?.();
    },
  };
}
