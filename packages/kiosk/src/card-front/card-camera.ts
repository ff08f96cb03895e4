/**
 * Where stills of the card tray come from, for reading the card front: the renderer's card camera
 * in the field (src/kiosk/renderer-card-camera.ts), a file for tests and the demo. A still is
 * handed over and let go: nothing here keeps, writes or logs one.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Stills of the card tray, JPEG or PNG bytes; null while no frame can be had (camera absent, not started). */
export interface CardCamera {
  frame(): Promise<Uint8Array | null>;
  close?(): Promise<void>;
}

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((byte, i) => bytes[i] === byte);

/** A JPEG or a PNG, by its first bytes. */
export const isStill = (bytes: Uint8Array): boolean =>
  startsWith(bytes, JPEG_MAGIC) || startsWith(bytes, PNG_MAGIC);

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
  const head = new Uint8Array(PNG_MAGIC.length);
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
