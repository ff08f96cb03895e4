/**
 * The base of every failure of ours with a stable machine-readable code beside its human message:
 * screens, exit statuses and the upstream's problem codes switch on the code, never on the wording.
 * (The card package, which imports nothing of ours, has CardError with the same contract.)
 */
export class CodedError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
