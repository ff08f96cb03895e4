/** Electron IPC channel names, fixed: the preload uses these and nothing else. */
export const KIOSK_CHANNELS = {
  /** Renderer → main: a RendererMessage. */
  toMain: 'kiosk:renderer-message',
  /** Renderer → main: one JPEG camera frame. */
  frame: 'kiosk:camera-frame',
  /** Renderer → main: the request number and one JPEG still of the card tray. */
  cardFrame: 'kiosk:card-frame',
  /** Main → renderer: a MainMessage. */
  fromMain: 'kiosk:main-message',
} as const;
