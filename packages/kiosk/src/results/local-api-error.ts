import { ResultsError } from '@myna/protocol/oqs/results-error.js';

export type LocalApiErrorCode = 'port-in-use' | 'port-unusable';

/**
 * The local results API cannot listen on its port; the message names the port and the config key
 * that sets it. Apart from the API, so that the CLI's exit table does not load the web server.
 */
export class LocalApiError extends ResultsError<LocalApiErrorCode> {}
