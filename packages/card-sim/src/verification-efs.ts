/** 照合番号A / B as PIN EFs: A is the My Number, B the era birth date + expiry year + security code. */
import { verificationNumberB } from '@myna/card/verification-number.js';
import { ascii } from './ber-tlv.ts';
import type { AppName, PinEf } from './card-model.ts';
import type { Person } from './person.ts';

export function verificationEf(app: AppName, which: 'A' | 'B', person: Person, tries: number): PinEf {
  const secret =
    which === 'A'
      ? person.myNumber
      : verificationNumberB(person.birthDate, person.cardExpiry, person.securityCode);
  return {
    kind: 'pin',
    label: `${app}.verification${which}`,
    secret: ascii(secret),
    maxTries: tries,
    initialTriesLeft: tries,
  };
}
