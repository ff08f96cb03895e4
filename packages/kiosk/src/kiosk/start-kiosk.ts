/**
 * The composition root: from the kiosk config to a running kiosk. The store (audit, outbox,
 * retention), the card, the face check on the renderer's camera frames, the device key, the
 * upstream client with its outbox delivery, the result documents (folder + local API), and the
 * reception flow with its controller, handed to a shell as KioskServices.
 *
 * The kiosk knows no demo: a composer (the testbed's demo, a test) hands in the upstream, the card
 * and an operator panel through `parts`; without them the config's field parts are used.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { japanIsoDate } from '@myna/protocol/oqs/oqs-time.js';
import type { QualificationResult } from '@myna/protocol/oqs/qualification.js';
import { type CardCamera, fileCardCamera } from '../card-front/card-camera.ts';
import { cardFrontReader } from '../card-front/card-front-reader.ts';
import { opticalCardFront } from '../card-front/card-front-source.ts';
import type { CardFrontSource } from '../card-front/number-b-gate.ts';
import type { MainMessage } from '../common/ui-protocol.ts';
import { flowConfigOf, type KioskConfig } from '../config/kiosk-config.ts';
import { toRendererProfile } from '../config/renderer-profile.ts';
import { loadVendorProfile } from '../config/vendor-profile.ts';
import { DEFAULT_LIVENESS_CONFIG, type LivenessConfig } from '../face/liveness/liveness.ts';
import type { Attestor, FaceCheck } from '../reception/ports.ts';
import { startReception } from '../reception/reception.ts';
import { ReceptionController } from '../reception/reception-controller.ts';
import { VisitDocuments } from '../reception/result-documents.ts';
import { storeRecorder } from '../reception/store-recorder.ts';
import { startLocalApi } from '../results/local-api.ts';
import { ResultFolder } from '../results/result-folder.ts';
import { ResultMemory } from '../results/result-memory.ts';
import { folderAndApiSink } from '../results/result-sink.ts';
import { OutboxWorker, openStore, scheduleRetention } from '../store/index.ts';
import {
  auditSettledRefusal,
  type ClientCredentials,
  outboxDelivery,
  readClientCredentials,
  receptionUpstream,
  UpstreamClient,
} from '../upstream/client/index.ts';
import { deviceSigner } from '../upstream/device-key/index.ts';
import { CameraFaceCheck } from './camera-face-check.ts';
import { type CardSource, pcscCardSource } from './card-source.ts';
import type { DemoOperator, KioskServices } from './kiosk-services.ts';
import { rendererCardCamera } from './renderer-card-camera.ts';

export interface StartKioskOptions {
  config: KioskConfig;
  /** The upstream, the device key and the card (default: the config's field parts). */
  parts?: KioskParts;
  /** An operator panel for the shells (the demo's: place and take away test cards). */
  operator?: DemoOperator;
  /** A face check other than the camera's (tests). */
  face?: FaceCheck & { frame?(jpeg: Uint8Array): void; cancel?(): void; stop?(): Promise<void> };
  /** Warnings for clinic IT (stderr by default). */
  warn?: (line: string) => void;
  /** Port of the local results API instead of the config's `resultsApi.port` (0: any free port; the demo, tests). */
  resultsApiPort?: number;
  /** The kiosk's clock (tests: e.g. the day a test person turns 40). */
  now?: () => Date;
}

export async function startKiosk(options: StartKioskOptions): Promise<KioskServices> {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const warn = options.warn ?? ((line: string) => process.stderr.write(`kiosk: ${line}\n`));
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) {
      try {
        await closer();
      } catch (error) {
        warn(`while stopping: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  try {
    const listeners = new Set<(message: MainMessage) => void>();
    const emit = (message: MainMessage) => {
      for (const listener of listeners) listener(message);
    };

    mkdirSync(dirname(config.paths.db), { recursive: true });
    const store = openStore(config.paths.db);
    closers.push(() => store.close());
    const retention = scheduleRetention(store, {
      onError: (error) => warn(`retention: ${error instanceof Error ? error.message : String(error)}`),
    });
    closers.push(() => retention.stop());

    const vendor = loadVendorProfile(config.vendor);
    // Stills of the card tray: the config's file (tests, the demo), else the reader's card camera
    // through the renderer, else none (the face path then falls back to the PIN).
    const stillFile = config.paths.cardCameraFile;
    const rendererCamera =
      stillFile === undefined && vendor.data.cardCamera
        ? rendererCardCamera((request) => emit({ type: 'card-frame-request', request }))
        : null;
    const cardCamera: CardCamera | null =
      options.parts?.cardCamera ?? (stillFile === undefined ? rendererCamera : fileCardCamera(stillFile));
    // The card front, read from the camera's stills, gives 照合番号B for the face path; the
    // reader's model loads now, while no patient waits.
    const optical = cardCamera ? opticalCardFront(cardCamera, cardFrontReader()) : null;
    closers.push(() => optical?.close());
    const cardFront: CardFrontSource = optical?.source ?? (async () => null);

    const parts = options.parts ?? (await fieldParts(config));
    const { url, credentials, attestor } = parts;
    const card = await parts.card(cardFront);
    closers.push(() => card.close());
    const operator = options.operator ?? null;

    const client = new UpstreamClient({ baseUrl: url, credentials });
    let publish: (result: QualificationResult) => Promise<unknown> = async () => {};
    const documents = new VisitDocuments({
      publish: (result) => publish(result),
      waitMs: config.flow.limitCertificateWaitMs,
    });
    closers.push(() => client.close());
    const outbox = new OutboxWorker({
      store,
      send: outboxDelivery(client, {
        onSettled: auditSettledRefusal(store),
        onConsentsDelivered: (_item, answer) => documents.delivered(answer),
      }),
      onError: (item, error) =>
        warn(
          `outbox item ${item.id} (${item.kind}) not delivered yet: ${(error as { code?: string }).code ?? 'error'}`,
        ),
    });
    outbox.start();
    closers.push(() => outbox.stop());

    // The folder the clinic's systems poll: a wrong path is reported now, not after the first patient.
    const folder = new ResultFolder({ folder: config.paths.results, group: config.resultFiles.group });
    await folder.check();
    const memory = new ResultMemory({ ttlMs: config.resultsApi.retentionMinutes * 60_000 });
    const sink = folderAndApiSink(folder, memory);
    publish = (result) => sink.publish(result);
    const tokenFile = join(dirname(config.paths.db), 'local-api.token');
    const api = await startLocalApi({
      memory,
      tokenFile,
      port: options.resultsApiPort ?? config.resultsApi.port,
    });
    closers.push(() => api.close());

    const face =
      options.face ??
      (await CameraFaceCheck.start({
        detector: config.face.detector,
        timeoutMs: config.face.attemptMs,
        liveness: livenessFor(config.face.challenge),
        onFeedback: (reasons) => emit({ type: 'face-feedback', reasons }),
      }));
    closers.push(() => face.stop?.());

    const actor = startReception<QualificationResult>({
      slot: card.slot,
      face,
      upstream: receptionUpstream(client),
      attestor,
      recorder: storeRecorder<QualificationResult>({
        store,
        kept: () => outbox.notify(),
        publish: (document, consents) => documents.settle(document, consents),
      }),
      kioskId: config.kioskId,
      medicalInstitutionCode: config.medicalInstitutionCode,
      config: flowConfigOf(config),
      now,
    });
    closers.push(() => void actor.stop());
    const controller = new ReceptionController(actor, { now });
    closers.push(() => controller.stop());
    let lastScreen = '';
    controller.onView((view) => {
      // A face check left behind (cancel, card pulled) stops now rather than at its time-out.
      if (lastScreen === 'face' && view.screen !== 'face') face.cancel?.();
      lastScreen = view.screen;
      emit({ type: 'view', view });
    });
    card.onPresence((present) => controller.card(present, japanIsoDate(now())));

    const profile = toRendererProfile(vendor, {
      languages: config.languages,
      defaultLanguage: config.defaultLanguage,
    });
    return {
      profile,
      onMessage(listener) {
        listeners.add(listener);
        listener({ type: 'profile', profile });
        listener({ type: 'view', view: controller.view() });
        return () => listeners.delete(listener);
      },
      patient: (command) => controller.patient(command),
      staff: (command) => controller.staff(command),
      frame: (jpeg) => face.frame?.(jpeg),
      cardFrame: (request, jpeg) => rendererCamera?.answer(request, jpeg),
      operator,
      resultsApi: { url: api.url, tokenFile },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface KioskParts {
  url: string;
  credentials: ClientCredentials;
  attestor: Attestor;
  /** The reader, given how the kiosk reads the card front; the source is closed with the kiosk. */
  card: (cardFront: CardFrontSource) => Promise<CardSource>;
  /** Stills of the card tray instead of the config's camera (the demo's virtual cards). */
  cardCamera?: CardCamera;
}

/** The field's parts from the config: the upstream's URL and TLS files, the device key, the reader. */
async function fieldParts(config: KioskConfig): Promise<KioskParts> {
  if (!config.upstream)
    throw new Error(
      'the kiosk config names no upstream (add "upstream": { url, caFile, certFile, keyFile }, or start with --demo)',
    );
  return {
    url: config.upstream.url,
    credentials: readClientCredentials(config.upstream),
    // The device key's token comes from KIOSK_PKCS11_MODULE, KIOSK_TOKEN_LABEL and KIOSK_TOKEN_PIN.
    attestor: await deviceSigner(),
    card: (cardFront) => pcscCardSource(cardFront, config.reader),
  };
}

function livenessFor(challenge: KioskConfig['face']['challenge']): LivenessConfig {
  return {
    ...DEFAULT_LIVENESS_CONFIG,
    active: {
      ...DEFAULT_LIVENESS_CONFIG.active,
      enabled: challenge !== 'none',
      kind: challenge === 'turn' ? 'turn' : 'blink',
    },
  };
}
