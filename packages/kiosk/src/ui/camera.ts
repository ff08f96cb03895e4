/**
 * The camera while the face screen is shown: the live preview for the patient, and about four JPEG
 * frames a second for the main process, which does all the matching. A frame is drawn into one
 * reused canvas, encoded, handed to the bridge and let go: nothing is kept, stored or logged.
 */
import type { RendererProfile } from '../common/ui-protocol.ts';

export const FRAME_INTERVAL_MS = 250;
const JPEG_QUALITY = 0.85;
/** HTMLMediaElement.HAVE_CURRENT_DATA: a frame can be drawn. */
export const HAVE_CURRENT_DATA = 2;

export type CameraState = 'off' | 'starting' | 'on' | 'unavailable';
type CameraSettings = RendererProfile['camera'];

/**
 * Opens a camera at about the given size; with a label, the camera whose label contains it. A
 * camera of its own for a job (the card tray's) is `exactLabel`: without it, no other camera.
 */
export async function openCamera(
  settings: {
    width: number;
    height: number;
    facingMode?: CameraSettings['facingMode'];
    deviceLabel?: string;
  },
  exactLabel = false,
): Promise<MediaStream> {
  // Absent outside a secure context, whatever the DOM types say.
  const devices = navigator.mediaDevices as MediaDevices | undefined;
  if (!devices) throw new Error('no media devices (not a secure context?)');
  const video: MediaTrackConstraints = {
    width: { ideal: settings.width },
    height: { ideal: settings.height },
    ...(settings.facingMode ? { facingMode: settings.facingMode } : {}),
  };
  const stream = await devices.getUserMedia({ video, audio: false });
  const wanted = settings.deviceLabel;
  if (!wanted || stream.getTracks().some((track) => track.label.includes(wanted))) return stream;
  // Labels can be read only once a camera is open: now pick the reader's own camera by its label.
  const device = (await devices.enumerateDevices()).find(
    (d) => d.kind === 'videoinput' && d.label.includes(wanted),
  );
  if (!device && !exactLabel) return stream;
  for (const track of stream.getTracks()) track.stop();
  if (!device) throw new Error('no camera with that label');
  return devices.getUserMedia({ video: { ...video, deviceId: { exact: device.deviceId } }, audio: false });
}

export class Camera {
  readonly video: HTMLVideoElement;
  private readonly canvas: HTMLCanvasElement;
  private stream: MediaStream | null = null;
  private timer: number | undefined;
  private encoding = false;
  /** Bumped by every start and stop, so a start that resolves late knows it was cancelled. */
  private generation = 0;
  private current: CameraState = 'off';

  constructor(private readonly onState: (state: CameraState) => void = () => {}) {
    this.video = document.createElement('video');
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.autoplay = true;
    this.video.className = 'camera-preview';
    this.canvas = document.createElement('canvas');
  }

  get state(): CameraState {
    return this.current;
  }

  /** Opens the camera once per face screen: after a failure it waits for stop() before trying again. */
  async start(settings: CameraSettings, send: (jpeg: ArrayBuffer) => void): Promise<void> {
    if (this.current !== 'off') return;
    const generation = ++this.generation;
    this.setState('starting');
    let stream: MediaStream;
    try {
      stream = await openCamera(settings);
    } catch {
      if (generation === this.generation) this.setState('unavailable');
      return;
    }
    if (generation !== this.generation) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    this.stream = stream;
    this.video.srcObject = stream;
    this.video.play().catch(() => {});
    this.canvas.width = settings.width;
    this.canvas.height = settings.height;
    this.timer = window.setInterval(() => this.capture(send), FRAME_INTERVAL_MS);
    this.setState('on');
  }

  stop(): void {
    this.generation++;
    window.clearInterval(this.timer);
    this.timer = undefined;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.video.srcObject = null;
    // The last frame drawn must not outlive the face screen.
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.setState('off');
  }

  private capture(send: (jpeg: ArrayBuffer) => void): void {
    if (this.encoding || this.video.readyState < HAVE_CURRENT_DATA) return;
    const context = this.canvas.getContext('2d');
    if (!context) return;
    const generation = this.generation;
    this.encoding = true;
    context.drawImage(this.video, 0, 0, this.canvas.width, this.canvas.height);
    this.canvas.toBlob(
      (blob) => {
        if (!blob || generation !== this.generation) {
          this.encoding = false;
          return;
        }
        blob
          .arrayBuffer()
          .then((jpeg) => {
            if (generation === this.generation) send(jpeg);
          })
          .catch(() => {})
          .finally(() => {
            this.encoding = false;
          });
      },
      'image/jpeg',
      JPEG_QUALITY,
    );
  }

  private setState(state: CameraState): void {
    if (state === this.current) return;
    this.current = state;
    this.onState(state);
  }
}
