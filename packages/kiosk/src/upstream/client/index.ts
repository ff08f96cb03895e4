/** The kiosk's side of the upstream conversation over the network. */
export * from './client-credentials.ts';
export * from './outbox-delivery.ts';
export * from './problem.ts';
export * from './reception-upstream.ts';
export * from './retry.ts';
export * from './upstream-client.ts';
