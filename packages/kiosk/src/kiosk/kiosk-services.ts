/**
 * What a shell (Electron or the Chromium app-mode host) needs from the running kiosk: the patient
 * flow's controller, a place for camera frames, the profile the renderer draws with, staff and
 * demo-operator actions. The composition root (src/kiosk/start-kiosk.ts) builds it from the
 * kiosk config; shells only carry it to the renderer, so both shells behave the same.
 */
import type { MainMessage, PatientCommand, RendererProfile, StaffCommand } from '../common/ui-protocol.ts';

export interface OperatorPerson {
  id: string;
  label: string;
}

/** The demo's operator panel: place and take away the test people's virtual cards. */
export interface DemoOperator {
  people(): OperatorPerson[];
  insert(personId: string): Promise<void>;
  remove(): Promise<void>;
}

export interface KioskServices {
  readonly profile: RendererProfile;
  /** Every message for the renderer (views, face feedback), now and as they come. */
  onMessage(listener: (message: MainMessage) => void): () => void;
  patient(command: PatientCommand): void;
  staff(command: StaffCommand): void;
  /** One camera frame (JPEG) from the renderer; ignored unless the face screen is up. */
  frame(jpeg: Uint8Array): void;
  /** The renderer's answer to a `card-frame-request`: a JPEG still of the card tray, or null for none. */
  cardFrame?(request: number, jpeg: Uint8Array | null): void;
  /** The local results API for reception systems (bearer token in its token file). */
  readonly resultsApi?: { url: string; tokenFile: string };
  /** Present in demo mode only. */
  readonly operator: DemoOperator | null;
  close(): Promise<void>;
}
