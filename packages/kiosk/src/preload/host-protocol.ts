/**
 * The Chromium host's WebSocket, as the page scripts and the host both see it. The first message
 * of a connection is a text `hello` with the role and the launch token; the host closes anything
 * else with CLOSE_UNAUTHORISED. After that: JSON text messages (MainMessage / RendererMessage for
 * the patient screens, OperatorUpdate / OperatorRequest for the operator panel) and, from the
 * patient screens only, binary messages that are each one JPEG camera frame, or one card-tray
 * still behind CARD_FRAME_TAG and its request number.
 */
export const HOST_SOCKET_PATH = '/__kiosk/socket';
export const BRIDGE_SCRIPT_PATH = '/__kiosk/bridge.js';
export const OPERATOR_PAGE_PATH = '/operator';
export const OPERATOR_SCRIPT_PATH = '/__kiosk/operator.js';
export const OPERATOR_STYLE_PATH = '/__kiosk/operator.css';

export type HostRole = 'patient' | 'operator';

export interface Hello {
  type: 'hello';
  role: HostRole;
  token: string;
}

/** WebSocket close code 1008, "policy violation": no token, a wrong one, or no hello in time. */
export const CLOSE_UNAUTHORISED = 1008;
/** A newer page of the same role took over; the older one must not reconnect and take it back. */
export const CLOSE_REPLACED = 4001;

/** "kcf1": a face frame starts FF D8 FF, so a card-tray still cannot be taken for one. */
const CARD_FRAME_TAG = [0x6b, 0x63, 0x66, 0x31];
const CARD_FRAME_HEADER = CARD_FRAME_TAG.length + 4;

/** The binary message for a card-tray still: the tag, the request (uint32, big-endian), the JPEG. */
export function cardFrameMessage(request: number, jpeg: ArrayBuffer): ArrayBuffer {
  const message = new Uint8Array(CARD_FRAME_HEADER + jpeg.byteLength);
  message.set(CARD_FRAME_TAG);
  new DataView(message.buffer).setUint32(CARD_FRAME_TAG.length, request);
  message.set(new Uint8Array(jpeg), CARD_FRAME_HEADER);
  return message.buffer;
}

/** The request and the still a binary message carries; null for anything else (a face frame). */
export function readCardFrame(message: Uint8Array): { request: number; jpeg: Uint8Array } | null {
  if (message.byteLength < CARD_FRAME_HEADER || !CARD_FRAME_TAG.every((byte, i) => message[i] === byte))
    return null;
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  return { request: view.getUint32(CARD_FRAME_TAG.length), jpeg: message.subarray(CARD_FRAME_HEADER) };
}
