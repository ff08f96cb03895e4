/**
 * A whole reception kiosk on real parts, in one process: the virtual My Number card through the
 * card layer, the kiosk store in a SQLite file, the device key in a SoftHSM2 token and an upstream
 * stand-in that verifies every signed request. The camera is a stand-in returning a fixed result.
 * Used by the reception integration tests and bench/flow.ts.
 */
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { exactRead } from '@myna/card/card-front-read.js';
import type { CardConnection } from '@myna/card/connection.js';
import { virtualCardFor } from '@myna/card-sim/card-factory.js';
import { InProcessConnection } from '@myna/card-sim/in-process-connection.js';
import { peopleFile } from '@myna/card-sim/people.js';
import { loadPerson, type Person } from '@myna/card-sim/person.js';
import { loadTestPki, personKeys } from '@myna/card-sim/test-pki.js';
import type { CardFrontSource } from '@myna/kiosk/card-front/number-b-gate.js';
import {
  DEFAULT_FLOW_CONFIG,
  type FlowConfig,
  type Qualification,
} from '@myna/kiosk/reception/flow-types.js';
import { myNumberCardSlot } from '@myna/kiosk/reception/my-number-card-slot.js';
import type { Attestor, ConsentRecord, FaceCheckResult, UpstreamPort } from '@myna/kiosk/reception/ports.js';
import { startReception } from '@myna/kiosk/reception/reception.js';
import { storeRecorder } from '@myna/kiosk/reception/store-recorder.js';
import { openStore, type Store } from '@myna/kiosk/store/index.js';
import { type AnyActorRef, SimulatedClock } from 'xstate';
import { type StandInDocument, UpstreamStandIn } from './upstream-stand-in.ts';

export const KIOSK_ID = 'kiosk-test-0001';

export interface TestPatient {
  person: Person;
  qualification: Qualification;
  /** Serial of the card's user-authentication certificate, as the upstream keys people. */
  serial: string;
}

export function testPatient(id: string): TestPatient {
  const person = loadPerson(peopleFile(id));
  const serial = new X509Certificate(personKeys(person, loadTestPki()).auth.certificateDer).serialNumber;
  return {
    person,
    qualification: { displayName: person.name, birthDate: person.birthDate, registered: true },
    serial,
  };
}

export const ACCEPTED_FACE: FaceCheckResult = {
  decision: 'accept',
  score: 0.31,
  threshold: 0.52,
  calibratedFar: 0.001,
  reasons: [],
  liveness: { passed: true, challenge: 'blink', passiveScore: 0.93 },
};

export interface KioskOptions {
  patient: TestPatient;
  attestor: Attestor;
  /** Where the kiosk database goes. */
  dbPath: string;
  now: Date;
  face?: FaceCheckResult;
  /** Sees the card photo the face check gets (before it is wiped). */
  onPhoto?: (photo: Uint8Array) => void;
  /** Wraps the verifying stand-in, e.g. to make it unreachable. */
  upstream?: (standIn: UpstreamStandIn) => UpstreamPort<StandInDocument>;
  /** Whether the kiosk's device certificate is registered upstream (default yes). */
  registeredKiosk?: boolean;
  /** Whether the patient's card is registered for insurance use (default yes). */
  registered?: boolean;
  config?: Partial<FlowConfig>;
  /** What the card camera reads of the card front, frame by frame (default: the card's exact read). */
  cardFront?: CardFrontSource;
}

export interface TestKiosk {
  actor: AnyActorRef;
  clock: SimulatedClock;
  store: Store;
  upstream: UpstreamStandIn;
  published: { document: StandInDocument; consents: ConsentRecord }[];
  connections: { closed: number };
  photos: Uint8Array[];
  stop(): void;
}

export function startTestKiosk(options: KioskOptions): TestKiosk {
  const { patient } = options;
  const card = virtualCardFor(patient.person);
  const connections = { closed: 0 };
  const photos: Uint8Array[] = [];
  const store = openStore(options.dbPath, { now: () => options.now });
  const standIn = new UpstreamStandIn({
    cardCa: new X509Certificate(loadTestPki().authCa.certificateDer),
    people: new Map([[patient.serial, { ...patient.qualification, registered: options.registered ?? true }]]),
    kiosks:
      options.registeredKiosk === false || !options.attestor.certificatePem
        ? []
        : [options.attestor.certificatePem],
  });
  const published: TestKiosk['published'] = [];
  const clock = new SimulatedClock();
  const actor = startReception(
    {
      slot: myNumberCardSlot({
        connect: async (): Promise<CardConnection> => {
          const connection = new InProcessConnection(card);
          const close = connection.close.bind(connection);
          connection.close = async () => {
            connections.closed++;
            await close();
          };
          return connection;
        },
        cardFront:
          options.cardFront ??
          (async () =>
            exactRead(patient.person.birthDate, patient.person.cardExpiry, patient.person.securityCode)),
        gate: { today: () => options.now.toISOString().slice(0, 10) },
      }),
      face: {
        async check(photo) {
          options.onPhoto?.(photo);
          photos.push(photo);
          return options.face ?? ACCEPTED_FACE;
        },
      },
      upstream: options.upstream ? options.upstream(standIn) : standIn,
      attestor: options.attestor,
      recorder: storeRecorder<StandInDocument>({
        store,
        publish: async (document, consents) => void published.push({ document, consents }),
      }),
      kioskId: KIOSK_ID,
      medicalInstitutionCode: '1312345678',
      config: { ...DEFAULT_FLOW_CONFIG, consents: ['medication', 'checkup'], ...options.config },
      now: () => options.now,
    },
    { clock, today: options.now.toISOString().slice(0, 10) },
  );
  return {
    actor,
    clock,
    store,
    upstream: standIn,
    published,
    connections,
    photos,
    stop() {
      actor.stop();
      store.close();
    },
  };
}

export const dbIn = (dir: string, name: string) => join(dir, `${name}.db`);
