import { CodedError } from '../coded-error.ts';

/**
 * The base of every failure of the results (the document, its folder, the local API's token).
 * Messages name files, elements and code points, never a patient's values.
 */
export class ResultsError<Code extends string> extends CodedError<Code> {}
