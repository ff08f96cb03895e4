/**
 * The card camera as the main process sees it when the camera hangs off the renderer: each
 * frame() asks the renderer for one still of the card tray (a `card-frame-request`) and waits for
 * its answer, which the shell's gate has already checked (a JPEG within the size limit). A renderer
 * that answers "none", answers late or is not there gives null: the card front then goes unread and
 * the patient is offered the PIN, never kept waiting.
 */
import type { CardCamera } from '../card-front/card-camera.ts';

export const CARD_FRAME_TIMEOUT_MS = 1000;

export interface RendererCardCamera extends CardCamera {
  /** The renderer's answer to `request`: a JPEG, or null for "none". Unknown or late answers are dropped. */
  answer(request: number, jpeg: Uint8Array | null): void;
}

export interface RendererCardCameraOptions {
  /** How long a request may go unanswered before frame() gives null. */
  timeoutMs?: number;
}

/** `ask` sends `{ type: 'card-frame-request', request }` to the renderer. */
export function rendererCardCamera(
  ask: (request: number) => void,
  options: RendererCardCameraOptions = {},
): RendererCardCamera {
  const timeoutMs = options.timeoutMs ?? CARD_FRAME_TIMEOUT_MS;
  const waiting = new Map<number, (jpeg: Uint8Array | null) => void>();
  let next = 0;
  let closed = false;

  return {
    frame() {
      if (closed) return Promise.resolve(null);
      const request = next;
      next = (next + 1) % 0x1_0000_0000;
      return new Promise((resolve) => {
        const timer = setTimeout(() => settle(null), timeoutMs);
        const settle = (jpeg: Uint8Array | null) => {
          clearTimeout(timer);
          waiting.delete(request);
          resolve(jpeg);
        };
        waiting.set(request, settle);
        try {
          ask(request);
        } catch {
          settle(null);
        }
      });
    },
    answer(request, jpeg) {
      waiting.get(request)?.(jpeg);
    },
    async close() {
      closed = true;
      for (const settle of [...waiting.values()]) settle(null);
    },
  };
}
