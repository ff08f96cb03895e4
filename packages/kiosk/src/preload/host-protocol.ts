/**
 * The Chromium host's WebSocket, as the page scripts and the host both see it. The first message
 * of a connection is a text `hello` with the role and the launch token; the host closes anything
 * else with CLOSE_UNAUTHORISED. After that: JSON text messages (MainMessage / RendererMessage for
 * the patient screens, OperatorUpdate / OperatorRequest for the operator panel) and, from the
 * patient screens only, binary messages that are each one JPEG camera frame.
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
