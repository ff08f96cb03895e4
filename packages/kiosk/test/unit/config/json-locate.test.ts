import { describe, expect, it } from 'vitest';
import { locateJsonPath, syntaxErrorPosition } from '../../../src/config/json-locate.ts';

const TEXT = `{
  "a": { "b": [10, {"c": "x\\"}"}] },
  "d":
    true
}`;

describe('locateJsonPath', () => {
  it('finds values in objects and arrays, past strings holding brackets', () => {
    expect(locateJsonPath(TEXT, ['a'])).toEqual({ line: 2, column: 8 });
    expect(locateJsonPath(TEXT, ['a', 'b', 1, 'c'])).toEqual({ line: 2, column: 26 });
    expect(locateJsonPath(TEXT, ['d'])).toEqual({ line: 4, column: 5 });
  });

  it('falls back to the nearest ancestor that exists', () => {
    expect(locateJsonPath(TEXT, ['a', 'b', 7])).toEqual({ line: 2, column: 15 });
    expect(locateJsonPath(TEXT, ['missing'])).toEqual({ line: 1, column: 1 });
  });

  it('gives up on text that is not JSON', () => {
    expect(locateJsonPath('{"a": ', ['a'])).toBeNull();
  });

  it('turns a JSON.parse error into a line and column', () => {
    const text = '{\n  "a": 1\n  "b": 2\n}';
    let error: unknown;
    try {
      JSON.parse(text);
    } catch (e) {
      error = e;
    }
    expect(syntaxErrorPosition(text, error)).toEqual({ line: 3, column: 3 });
  });
});
