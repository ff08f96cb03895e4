/**
 * The demo operator panel's messages over the Chromium host's WebSocket. The panel is staff-side
 * and has a token of its own, so the patient screens, which are untrusted, can never send a staff
 * command or place a card. The panel is told the screen and whether 目視確認 is armed, nothing of
 * the patient.
 */
import type { Screen, StaffCommand } from '../../common/ui-protocol.ts';
import type { OperatorPerson } from '../../kiosk/kiosk-services.ts';

export type OperatorRequest =
  | { type: 'insert'; personId: string }
  | { type: 'remove' }
  | { type: 'staff'; command: StaffCommand };

export type OperatorUpdate =
  /** people is empty when the kiosk has no demo operator (no virtual cards to place). */
  | { type: 'people'; people: OperatorPerson[] }
  | { type: 'screen'; screen: Screen; visualCheckArmed: boolean }
  | { type: 'result'; request: OperatorRequest['type']; ok: boolean; error?: string };

const PERSON_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function parseStaffCommand(value: unknown): StaffCommand | null {
  if (typeof value !== 'object' || value === null || Object.keys(value).length !== 1) return null;
  const type = (value as { type?: unknown }).type;
  return type === 'STAFF_VISUAL_CHECK' || type === 'STAFF_CONFIRMED' ? { type } : null;
}

export function parseOperatorRequest(value: unknown): OperatorRequest | null {
  if (typeof value !== 'object' || value === null) return null;
  const request = value as Record<string, unknown>;
  const keys = Object.keys(request).length;
  switch (request.type) {
    case 'insert':
      return keys === 2 && typeof request.personId === 'string' && PERSON_ID.test(request.personId)
        ? { type: 'insert', personId: request.personId }
        : null;
    case 'remove':
      return keys === 1 ? { type: 'remove' } : null;
    case 'staff': {
      const command = keys === 2 ? parseStaffCommand(request.command) : null;
      return command ? { type: 'staff', command } : null;
    }
    default:
      return null;
  }
}
