/** The test people shipped in packages/card-sim/people, for `kiosk sim people` and test helpers. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ageOn, loadPerson } from './person.ts';

export const PEOPLE_DIR = fileURLToPath(new URL('../people/', import.meta.url));

export interface PersonSummary {
  readonly id: string;
  readonly file: string;
  readonly age: number;
  readonly notes: string;
}

export function peopleFile(id: string): string {
  return join(PEOPLE_DIR, `${id}.json`);
}

export function listPeople(today = new Date().toISOString().slice(0, 10)): PersonSummary[] {
  return readdirSync(PEOPLE_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const person = loadPerson(join(PEOPLE_DIR, name));
      return { id: person.id, file: person.file, age: ageOn(person.birthDate, today), notes: person.notes };
    });
}
