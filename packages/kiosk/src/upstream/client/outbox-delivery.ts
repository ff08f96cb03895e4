/**
 * How the outbox's items reach the upstream: the `send` an OutboxWorker runs for each due item.
 *
 * The outbox knows two endings, delivered or tried again later with back-off, and no third. A
 * refusal that no resend can turn around (the visit is unknown upstream, the body is malformed,
 * the key was used for something else) would otherwise be retried every 15 minutes for ever, so
 * such an item is settled instead: the refusal is handed to `onSettled` first (the kiosk writes an
 * `outbox.refused` audit record with the item, its kind, the status and the upstream's code), and
 * only then does `send` resolve, which takes the item out of the queue. If recording the refusal
 * fails, `send` throws and the item stays pending, so no refusal is dropped unrecorded.
 *
 * Everything else stays pending: an outage, a time-out, rate limiting, and refusals about who the
 * kiosk is (401/403: a certificate or registration that clinic IT can put right), and a 404 that
 * names no problem of the item (an endpoint this upstream lacks is a version mismatch, not a bad
 * item). An item of a kind this software does not know stays pending too: newer software wrote it.
 */

import { CodedError } from '@myna/protocol/coded-error.js';
import type { ConsentRecord } from '../../reception/ports.ts';
import { OUTBOX_KIND } from '../../reception/store-recorder.ts';
import { type AuditRecord, appendAudit } from '../../store/audit.ts';
import type { Store } from '../../store/db.ts';
import type { OutboxItem } from '../../store/outbox.ts';
import { UpstreamResponseError } from './problem.ts';
import type { ConsentAnswer, UpstreamClient } from './upstream-client.ts';

/** Statuses of refusals about the item itself; a problem document must say so too. */
const ITEM_REFUSED = new Set([400, 404, 409, 410, 413, 415, 422]);

/** Codes of refusals that name the route, not the item. */
const NOT_ABOUT_THE_ITEM = new Set(['not-found']);

export class OutboxDeliveryError extends CodedError<'unknown-kind'> {
  override readonly name = 'OutboxDeliveryError';
}

export interface SettledRefusal {
  item: OutboxItem;
  error: UpstreamResponseError;
}

export interface OutboxDeliveryOptions {
  /** Records a refusal that settles an item for good; throwing keeps the item pending. */
  onSettled(refusal: SettledRefusal): unknown;
  /**
   * The upstream's answer to delivered consents: its rebuilt qualification carries what only the
   * upstream has (the limit certificate once 限度額 was agreed), which the visit's document may be
   * waiting for. Failures here do not undo delivery.
   */
  onConsentsDelivered?(item: OutboxItem, answer: ConsentAnswer): unknown;
}

/** True for a refusal that no resend of the same item can turn into a success. */
export function settlesItem(error: unknown): error is UpstreamResponseError {
  return (
    error instanceof UpstreamResponseError &&
    error.failure === 'refused' &&
    error.problem !== null &&
    ITEM_REFUSED.has(error.status) &&
    !NOT_ABOUT_THE_ITEM.has(error.code)
  );
}

export function outboxDelivery(
  client: Pick<UpstreamClient, 'register' | 'recordConsents'>,
  options: OutboxDeliveryOptions,
): (item: OutboxItem) => Promise<void> {
  return async (item) => {
    let answer: ConsentAnswer | undefined;
    try {
      answer = await deliver(client, item);
    } catch (error) {
      if (!settlesItem(error)) throw error;
      await options.onSettled({ item, error });
      return;
    }
    if (answer) {
      try {
        await options.onConsentsDelivered?.(item, answer);
      } catch {
        // The upstream has the consents; a failure to use its answer must not resend them.
      }
    }
  };
}

async function deliver(
  client: Pick<UpstreamClient, 'register' | 'recordConsents'>,
  item: OutboxItem,
): Promise<ConsentAnswer | undefined> {
  switch (item.kind) {
    case OUTBOX_KIND.consents:
      return client.recordConsents(item.payload as ConsentRecord, item.idempotencyKey);
    case OUTBOX_KIND.registration:
      await client.register((item.payload as { visitId: string }).visitId, item.idempotencyKey);
      return undefined;
    default:
      throw new OutboxDeliveryError(
        'unknown-kind',
        `outbox item ${item.id} is of kind "${item.kind}", which this kiosk software cannot deliver; it stays pending until software that knows it runs`,
      );
  }
}

/** The audit record of a settled refusal: codes and ids only, as the audit log's guard demands. */
export function auditSettledRefusal(store: Store): (refusal: SettledRefusal) => AuditRecord {
  return ({ item, error }) =>
    appendAudit(store, {
      kind: 'outbox.refused',
      outcome: 'settled',
      card: null,
      data: {
        item: item.id,
        itemKind: item.kind,
        idempotencyKey: item.idempotencyKey,
        attempts: item.attempts + 1,
        status: error.status,
        code: error.code,
      },
    });
}
