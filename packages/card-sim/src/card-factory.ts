/** One call from a person (or a person file) to a ready virtual card. */
import { buildCardContent, type ContentOptions } from './card-content.ts';
import { loadPerson, type Person } from './person.ts';
import { type VirtualCardOptions, VirtualMyNumberCard } from './virtual-card.ts';

export type CardFactoryOptions = VirtualCardOptions & ContentOptions;

export function virtualCardFor(
  person: Person | string,
  options: CardFactoryOptions = {},
): VirtualMyNumberCard {
  const loaded = typeof person === 'string' ? loadPerson(person) : person;
  return new VirtualMyNumberCard(buildCardContent(loaded, options), options);
}
