/**
 * Where stills of the card tray come from, for reading the card front: the renderer's card camera
 * in the field (src/kiosk/renderer-card-camera.ts), a file for tests and the demo. A still is
 * handed over and let go: nothing here keeps, writes or logs one.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { detectImageFormat } from '../face/image/decode.ts';

/** Stills of the card tray, JPEG or PNG bytes; null while no frame can be had (camera absent, not started). */
export interface CardCamera {
  frame(): Promise<Uint8Array | null>;
  close?(): Promise<void>;
}

/** A JPEG or a PNG, by its first bytes. */
export const isStill = (bytes: Uint8Array): boolean => {
  const format = detectImageFormat(bytes);
  return format === 'jpeg' || format === 'png';
};

/** Reads the file at each call, so a test or the demo can change the picture while the kiosk runs. */
export function fileCardCamera(path: string): CardCamera {
  return {
    async frame() {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch {
        return null;
      }
      return isStill(bytes) ? bytes : null;
    },
  };
}

/** Why `path` cannot serve as the card tray's still (missing, not a JPEG or PNG), or null when it can. */
export function stillFileProblem(path: string): string | null {
  // Enough for either signature (PNG's is the longer, 8 bytes).
  const head = new Uint8Array(8);
  try {
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return `no such file ${path}`;
  }
  return isStill(head) ? null : `${path} is not a JPEG or PNG image`;
}
