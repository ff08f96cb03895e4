import { readFileSync } from 'node:fs';
import { CodedError } from '@myna/protocol/coded-error.js';
import type { z } from 'zod';
import { type JsonPath, locateJsonPath, syntaxErrorPosition, type TextPosition } from './json-locate.ts';

export interface ConfigIssue {
  /** Dotted JSON path (`brand.primary`, `languages[2]`); empty for the file as a whole. */
  path: string;
  line: number | null;
  column: number | null;
  message: string;
}

/** A file that is missing or cannot be read, or one whose content is refused. */
export const CONFIG_ERROR_CODES = ['config-unreadable', 'config-invalid'] as const;
export type ConfigErrorCode = (typeof CONFIG_ERROR_CODES)[number];

/**
 * A configuration file refused: names the file, then every problem with its JSON path and line,
 * on one line, so the person editing the file goes straight to the place.
 */
export class ConfigError extends CodedError<ConfigErrorCode> {
  constructor(
    code: ConfigErrorCode,
    readonly file: string,
    readonly issues: ConfigIssue[],
    what = 'config',
  ) {
    super(code, `${what} ${file}: ${issues.map(describeIssue).join('; ')}`);
  }
}

function describeIssue(issue: ConfigIssue): string {
  const where = [issue.path, issue.line === null ? '' : `(line ${issue.line})`].filter(Boolean).join(' ');
  return where ? `${where}: ${issue.message}` : issue.message;
}

export function formatJsonPath(path: JsonPath): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${String(part)}`))
    .join('');
}

const at = (position: TextPosition | null) => ({
  line: position?.line ?? null,
  column: position?.column ?? null,
});

/** A problem found after the schema passed (a file the config names is missing, say). */
export interface LaterIssue {
  path: JsonPath;
  message: string;
}

/**
 * Reads a JSON file and checks it against `schema`, then with `check` for what a schema cannot see
 * (files beside it); every refusal is a ConfigError located in the text.
 */
export function readJsonConfig<Schema extends z.ZodType>(
  file: string,
  schema: Schema,
  what: string,
  check: (data: z.output<Schema>) => LaterIssue[] = () => [],
): z.output<Schema> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(error)})`;
    throw new ConfigError('config-unreadable', file, [{ path: '', line: null, column: null, message }], what);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = `not valid JSON (${(error as Error).message.replace(/ in JSON at position \d+.*/, '')})`;
    throw new ConfigError(
      'config-invalid',
      file,
      [{ path: '', ...at(syntaxErrorPosition(text, error)), message }],
      what,
    );
  }
  const result = schema.safeParse(data);
  const issues: LaterIssue[] = result.success ? check(result.data) : result.error.issues;
  if (result.success && issues.length === 0) return result.data;
  throw new ConfigError(
    'config-invalid',
    file,
    issues.map((issue) => ({
      path: formatJsonPath(issue.path),
      ...at(locateJsonPath(text, issue.path)),
      message: issue.message,
    })),
    what,
  );
}
