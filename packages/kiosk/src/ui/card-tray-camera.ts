/**
 * The camera over the card tray, asked by the main process for one still at a time (it reads the
 * card front): the reader's own card camera, or a region of the face camera's picture, turned so
 * the tray's near edge is at the bottom and encoded as JPEG. A camera opened for this is closed a
 * few seconds after the last request; the canvas is emptied after every still: nothing is kept.
 */
import type { CardCameraSettings, RendererProfile } from '../common/ui-protocol.ts';
import { type Camera, HAVE_CURRENT_DATA, openCamera } from './camera.ts';

const JPEG_QUALITY = 0.92;
/** A camera opened for the card tray is closed this long after the last request. */
export const CARD_CAMERA_IDLE_MS = 5000;
/** A camera that shows no picture this long after opening answers "none" (the main process gave up long before). */
const FIRST_PICTURE_MS = 3000;

interface OwnCamera {
  settings: string;
  stream: MediaStream;
  video: HTMLVideoElement;
}

export class CardTrayCamera {
  private own: OwnCamera | null = null;
  private opening: { settings: string; video: Promise<HTMLVideoElement | null> } | null = null;
  private idle: number | undefined;
  private readonly canvas = document.createElement('canvas');

  /** The face screen's camera: while it runs, a card tray seen by it is cropped from its picture. */
  constructor(private readonly faceCamera: Camera) {}

  /** One still of the card tray as JPEG, or null when the profile has no card camera or it gives no picture. */
  async still(profile: RendererProfile): Promise<ArrayBuffer | null> {
    const settings = profile.cardCamera;
    if (!settings) return null;
    window.clearTimeout(this.idle);
    this.idle = window.setTimeout(() => this.stop(), CARD_CAMERA_IDLE_MS);
    const video =
      settings.source === 'face-camera' && this.faceCamera.state === 'on'
        ? this.faceCamera.video
        : await this.video(profile, settings);
    if (video === null || video.readyState < HAVE_CURRENT_DATA || video.videoWidth === 0) return null;
    return this.encode(video, settings);
  }

  /** Closes the camera opened for the card tray, if any. */
  stop(): void {
    window.clearTimeout(this.idle);
    this.close();
  }

  private close(): void {
    this.opening = null;
    if (!this.own) return;
    for (const track of this.own.stream.getTracks()) track.stop();
    this.own.video.srcObject = null;
    this.own = null;
  }

  private video(profile: RendererProfile, settings: CardCameraSettings): Promise<HTMLVideoElement | null> {
    const key = JSON.stringify([settings, profile.camera]);
    if (this.own?.settings === key) return Promise.resolve(this.own.video);
    if (this.opening?.settings === key) return this.opening.video;
    this.close();
    const opening = { settings: key, video: this.open(key, profile, settings) };
    this.opening = opening;
    return opening.video;
  }

  private async open(
    key: string,
    profile: RendererProfile,
    settings: CardCameraSettings,
  ): Promise<HTMLVideoElement | null> {
    let stream: MediaStream;
    try {
      stream =
        settings.source === 'device' ? await openCamera(settings, true) : await openCamera(profile.camera);
    } catch {
      if (this.opening?.settings === key) this.opening = null;
      return null;
    }
    // Stopped, or asked for other settings, while the camera was opening.
    if (this.opening?.settings !== key) {
      for (const track of stream.getTracks()) track.stop();
      return null;
    }
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    this.own = { settings: key, stream, video };
    this.opening = null;
    video.play().catch(() => {});
    await firstPicture(video);
    return this.own?.video === video ? video : null;
  }

  private async encode(video: HTMLVideoElement, settings: CardCameraSettings): Promise<ArrayBuffer | null> {
    const { videoWidth, videoHeight } = video;
    const region = settings.source === 'face-camera' ? settings.region : { x: 0, y: 0, width: 1, height: 1 };
    const sx = Math.round(region.x * videoWidth);
    const sy = Math.round(region.y * videoHeight);
    const sw = Math.max(1, Math.min(videoWidth - sx, Math.round(region.width * videoWidth)));
    const sh = Math.max(1, Math.min(videoHeight - sy, Math.round(region.height * videoHeight)));
    const sideways = settings.rotation === 90 || settings.rotation === 270;
    const { canvas } = this;
    canvas.width = sideways ? sh : sw;
    canvas.height = sideways ? sw : sh;
    const context = canvas.getContext('2d');
    if (!context) return null;
    context.translate(canvas.width / 2, canvas.height / 2);
    context.rotate((settings.rotation * Math.PI) / 180);
    context.drawImage(video, sx, sy, sw, sh, -sw / 2, -sh / 2, sw, sh);
    try {
      const blob = await new Promise<Blob | null>((resolve) =>
        canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY),
      );
      return blob ? await blob.arrayBuffer() : null;
    } finally {
      // A zero-sized canvas holds no picture (and resizing resets the turn for the next still).
      canvas.width = 0;
      canvas.height = 0;
    }
  }
}

/** Until the video can be drawn, or FIRST_PICTURE_MS. */
function firstPicture(video: HTMLVideoElement): Promise<void> {
  if (video.readyState >= HAVE_CURRENT_DATA) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      window.clearTimeout(timer);
      video.removeEventListener('loadeddata', done);
      resolve();
    };
    const timer = window.setTimeout(done, FIRST_PICTURE_MS);
    video.addEventListener('loadeddata', done);
  });
}
