import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPeople, peopleFile } from '../../src/people.ts';
import { ageOn, loadPerson, PersonFileError } from '../../src/person.ts';

const base = JSON.parse(readFileSync(peopleFile('middle-aged'), 'utf8')) as Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'sim-person-'));
writeFileSync(join(dir, 'face.jp2'), readFileSync(join(peopleFile('middle-aged'), '../synthetic-face.jp2')));
writeFileSync(join(dir, 'not-a-photo.jp2'), 'JFIF');

function load(changes: Record<string, unknown>, raw?: string): Error | undefined {
  const file = join(dir, 'person.json');
  writeFileSync(file, raw ?? JSON.stringify({ ...base, photo: 'face.jp2', ...changes }));
  try {
    loadPerson(file);
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

describe('person files', () => {
  it('every fixture loads, and the set covers the needed ages', () => {
    const people = listPeople('2026-11-24');
    const ages = people.map((p) => p.age);
    expect(people.length).toBeGreaterThanOrEqual(7);
    expect(ages.some((a) => a < 40)).toBe(true);
    expect(ages.some((a) => a >= 40 && a <= 74)).toBe(true);
    expect(ages.some((a) => a >= 75)).toBe(true);
  });

  it('accepts the base person', () => {
    expect(load({})).toBeUndefined();
  });

  it.each([
    ['myNumber', { myNumber: '314159265353' }, 'myNumber: must be 12 digits with a valid check digit'],
    [
      'name without U+3000',
      { name: '中年 健一' },
      'name: must be family and given name separated by one U+3000',
    ],
    ['birthDate', { birthDate: '1970-02-30' }, 'birthDate: is not a calendar date'],
    ['sex', { sex: '3' }, 'sex:'],
    ['pin', { pin: '12345' }, 'pin: must be 4 digits'],
    ['missing pin', { pin: undefined }, 'pin: is required unless the card is pinless'],
    ['pinless with a pin', { pinless: true }, 'pin: must be absent on a PIN-less card'],
    ['signing password', { signingPassword: 'short' }, 'signingPassword: must be 6 to 16 of A-Z and 0-9'],
    ['unknown field', { pinTries: 3 }, 'pinTries'],
    [
      'expired and certificate',
      { expired: true, certificate: { notBefore: '2020-01-01', notAfter: '2021-01-01' } },
      'expired:',
    ],
    ['photo missing', { photo: 'none.jp2' }, 'photo none.jp2 cannot be read'],
    ['photo not JP2', { photo: 'not-a-photo.jp2' }, 'is not a JPEG 2000 (JP2) file'],
  ])('rejects a bad %s with the file and the field named', (_, changes, message) => {
    const error = load(changes);
    expect(error).toBeInstanceOf(PersonFileError);
    expect(error!.message).toContain(join(dir, 'person.json'));
    expect(error!.message).toContain(message);
    expect(error!.message).not.toContain('4321');
  });

  it('bad JSON says so without quoting the file', () => {
    const error = load({}, '{ "pin": "4321", ');
    expect(error!.message).toMatch(/is not valid JSON$/);
    expect(error!.message).not.toContain('4321');
  });
});

describe('helpers', () => {
  it('age counts whole years', () => {
    expect(ageOn('1970-05-20', '2026-05-19')).toBe(55);
    expect(ageOn('1970-05-20', '2026-05-20')).toBe(56);
  });
});
