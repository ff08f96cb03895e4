import { describe, expect, it } from 'vitest';
import { parseOperatorRequest, parseStaffCommand } from '../../../src/shell/chromium/operator-protocol.ts';

describe('operator panel requests', () => {
  it('accepts card placement, removal and the two staff commands', () => {
    expect(parseOperatorRequest({ type: 'insert', personId: 'elderly-face' })).toEqual({
      type: 'insert',
      personId: 'elderly-face',
    });
    expect(parseOperatorRequest({ type: 'remove' })).toEqual({ type: 'remove' });
    expect(parseOperatorRequest({ type: 'staff', command: { type: 'STAFF_VISUAL_CHECK' } })).toEqual({
      type: 'staff',
      command: { type: 'STAFF_VISUAL_CHECK' },
    });
    expect(parseStaffCommand({ type: 'STAFF_CONFIRMED' })).toEqual({ type: 'STAFF_CONFIRMED' });
  });

  it('refuses anything else', () => {
    for (const value of [
      null,
      'remove',
      { type: 'insert' },
      { type: 'insert', personId: '../../etc/passwd' },
      { type: 'insert', personId: 'x'.repeat(65) },
      { type: 'remove', now: true },
      { type: 'staff', command: { type: 'CHOOSE_PIN' } },
      { type: 'staff', command: { type: 'STAFF_CONFIRMED', extra: 1 } },
      { type: 'staff' },
      { type: 'patient', command: { type: 'CHOOSE_PIN' } },
    ]) {
      expect(parseOperatorRequest(value), JSON.stringify(value)).toBeNull();
    }
  });
});
