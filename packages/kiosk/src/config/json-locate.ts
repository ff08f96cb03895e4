/**
 * Where a value sits in a JSON text, so a refusal can name the line a vendor or clinic IT must
 * edit. JSON.parse keeps no positions, hence this small scanner; it runs only on text that
 * JSON.parse has already accepted.
 */

export interface TextPosition {
  line: number;
  column: number;
}

export type JsonPath = readonly PropertyKey[];

/** 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * The position of the value at `path`, or of its nearest ancestor that exists (a missing property
 * is reported at the object that lacks it). Null only for text that is not JSON.
 */
export function locateJsonPath(text: string, path: JsonPath): TextPosition | null {
  let offsets: Map<string, number>;
  try {
    offsets = valueOffsets(text);
  } catch {
    return null;
  }
  for (let length = path.length; length >= 0; length--) {
    const offset = offsets.get(pathKey(path.slice(0, length)));
    if (offset !== undefined) return positionAt(text, offset);
  }
  return null;
}

/** Where JSON.parse gave up, from its message ("… in JSON at position 12"). */
export function syntaxErrorPosition(text: string, error: unknown): TextPosition | null {
  const match = error instanceof Error ? /position (\d+)/.exec(error.message) : null;
  return match ? positionAt(text, Number(match[1])) : null;
}

const pathKey = (path: JsonPath) => JSON.stringify(path.map(String));

function valueOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[i] !== char) throw new SyntaxError(`expected ${char} at ${i}`);
    i++;
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') {
      if (i >= text.length) throw new SyntaxError('unterminated string');
      i += text[i] === '\\' ? 2 : 1;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const readValue = (path: PropertyKey[]) => {
    skipSpace();
    offsets.set(pathKey(path), i);
    const char = text[i];
    if (char === '{') {
      i++;
      skipSpace();
      if (text[i] === '}') return void i++;
      for (;;) {
        skipSpace();
        const key = readString();
        expect(':');
        readValue([...path, key]);
        skipSpace();
        if (text[i++] === '}') return;
      }
    }
    if (char === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') return void i++;
      for (let index = 0; ; index++) {
        readValue([...path, index]);
        skipSpace();
        if (text[i++] === ']') return;
      }
    }
    if (char === '"') return void readString();
    while (i < text.length && !',}] \t\r\n'.includes(text[i]!)) i++;
  };
  readValue([]);
  return offsets;
}
