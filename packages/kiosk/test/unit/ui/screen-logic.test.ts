import { describe, expect, it } from 'vitest';
import { PIN_DIGITS } from '../../../src/common/ui-protocol.ts';
import { reasonToShow } from '../../../src/ui/screens/face.ts';
import { pinSlots } from '../../../src/ui/screens/pin.ts';
import { reminderLevel, TAKE_CARD_LEVELS } from '../../../src/ui/screens/take-card.ts';

describe('screen rules', () => {
  it('mask the PIN as a count only, never more slots than digits', () => {
    expect(pinSlots(0)).toEqual({ filled: 0, empty: PIN_DIGITS });
    expect(pinSlots(3)).toEqual({ filled: 3, empty: 1 });
    expect(pinSlots(9)).toEqual({ filled: PIN_DIGITS, empty: 0 });
    expect(pinSlots(-1)).toEqual({ filled: 0, empty: PIN_DIGITS });
  });

  it('show the live face reason before the last attempt’s, the first listed one', () => {
    expect(reasonToShow(['too-far', 'too-dark'], ['face-covered'])).toBe('too-far');
    expect(reasonToShow([], ['face-covered', 'blurred'])).toBe('face-covered');
    expect(reasonToShow([], [])).toBeNull();
  });

  it('raise the take-card reminder one level per reminder, up to the last', () => {
    expect([0, 1, 2, 3, 4, 50].map(reminderLevel)).toEqual([0, 1, 2, 3, 3, 3]);
    expect(TAKE_CARD_LEVELS).toBe(4);
  });
});
