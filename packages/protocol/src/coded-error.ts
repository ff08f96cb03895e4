/**
 * A failure with a stable machine-readable code beside its human message: screens, exit codes and
 * the upstream's problem codes switch on the code, never on the wording.
 */
export class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
