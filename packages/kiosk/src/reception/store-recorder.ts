/**
 * The reception recorder on the kiosk store: audit records in the hash chain, consents and
 * registrations in the outbox (delivered with idempotency keys until the upstream acknowledges),
 * and the result handed to the clinic's systems. Nothing here holds a name, a PIN or a photo: the
 * store's own guard refuses them.
 */
import { randomUUID } from 'node:crypto';
import { appendAudit, enqueue, type Store, storeCardRef } from '../store/index.ts';
import type { ReceptionRecorder } from './ports.ts';

export const OUTBOX_KIND = { consents: 'consent.record', registration: 'insurance.register' } as const;

export interface StoreRecorderOptions<Document> {
  store: Store;
  /** Hands the finished visit's result (with its consents) to the clinic's systems. */
  publish: ReceptionRecorder<Document>['publishResult'];
  /** Called after something is kept in the outbox, so its worker sends it at once. */
  kept?(): void;
}

export function storeRecorder<Document>(
  options: StoreRecorderOptions<Document>,
): ReceptionRecorder<Document> {
  const { store } = options;
  const keep = (kind: string, payload: object) => {
    enqueue(store, { kind, payload, idempotencyKey: randomUUID() });
    options.kept?.();
  };
  return {
    cardRef: (serialNumber) => storeCardRef(store, serialNumber),
    audit: (event) => void appendAudit(store, event),
    keepConsents: (record) => keep(OUTBOX_KIND.consents, record),
    keepRegistration: (record) => keep(OUTBOX_KIND.registration, record),
    publishResult: (document, consents) => options.publish(document, consents),
  };
}
