/**
 * The base of every failure this module reports: a stable `code` callers and the CLI branch on, and a
 * message for clinic IT. Messages name files, elements and code points, never a patient's values.
 */
export class ResultsError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
