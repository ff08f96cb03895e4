/**
 * The one config file clinic IT edits: which vendor's reader this is, the languages offered, how
 * the patient flow behaves, who the kiosk is and where it keeps its files. Every field has a demo
 * default, so `{}` is a working config.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { stillFileProblem } from '../card-front/card-camera.ts';
import { kioskDataDir } from '../common/node/data-dir.ts';
import { DETECTORS } from '../face/engine/names.ts';
import { CONSENT_ITEMS, DEFAULT_FLOW_CONFIG, type FlowConfig } from '../reception/flow-types.ts';
import { DEFAULT_RESULT_TTL_MS } from '../results/result-memory.ts';
import { DEFAULT_LANGUAGE, LANGUAGES } from '../ui/languages.ts';
import { type LaterIssue, readJsonConfig } from './config-error.ts';
import { isProfilePath, UnknownVendorError, vendorProfileFile } from './vendor-profile.ts';

const unique = <T>(list: T[]) => new Set(list).size === list.length;
const ms = (min: number, max: number) => z.int().min(min).max(max);

const flowSchema = z.strictObject({
  consents: z
    .array(z.enum(CONSENT_ITEMS))
    .refine(unique, { error: 'a consent question is listed twice' })
    .default([...DEFAULT_FLOW_CONFIG.consents]),
  bundledConsent: z.boolean().default(DEFAULT_FLOW_CONFIG.bundledConsent),
  limitInfo: z.boolean().default(DEFAULT_FLOW_CONFIG.limitInfo),
  faceAttempts: z.int().min(1).max(5).default(DEFAULT_FLOW_CONFIG.faceAttempts),
  screenTimeoutMs: ms(5_000, 600_000).default(DEFAULT_FLOW_CONFIG.screenTimeoutMs),
  continuePromptMs: ms(5_000, 120_000).default(DEFAULT_FLOW_CONFIG.continuePromptMs),
  doneMs: ms(1_000, 30_000).default(DEFAULT_FLOW_CONFIG.doneMs),
  takeCardReminderMs: ms(1_000, 60_000).default(DEFAULT_FLOW_CONFIG.takeCardReminderMs),
  limitCertificateWaitMs: ms(0, 30_000).default(DEFAULT_FLOW_CONFIG.limitCertificateWaitMs),
});

/**
 * Relative paths are relative to the config file. A path left out is in the kiosk's data folder
 * ($KIOSK_DATA_DIR or the platform's), never beside the config file, which may sit in /etc.
 */
const pathsSchema = z.strictObject({
  db: z.string().min(1).optional(),
  results: z.string().min(1).optional(),
  /** A still (JPEG or PNG) of the card tray, used instead of the card camera: tests and the demo. */
  cardCameraFile: z.string().min(1).optional(),
});
const DEFAULT_PATHS = { db: 'kiosk.db', results: 'results' } as const;

/**
 * The local results API (loopback only): a fixed port, so that reception systems on this machine can
 * be configured once; 0 takes any free port (tests, the demo). How long a result stays on it: after
 * that a reception system finds it only in the result folder (if the EMR has not collected it).
 */
export const DEFAULT_RESULTS_API_PORT = 8780;
const resultsApiSchema = z.strictObject({
  port: z.int().min(0).max(65_535).default(DEFAULT_RESULTS_API_PORT),
  retentionMinutes: z
    .int()
    .min(1)
    .max(24 * 60)
    .default(DEFAULT_RESULT_TTL_MS / 60_000),
});

/**
 * The result files: the group that may read them (the receipt computer's share account), by name or
 * gid. Left out, the files belong to the kiosk user's own group, as any file it creates.
 */
const resultFilesSchema = z.strictObject({
  group: z
    .union([
      z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*\$?$/, {
        error: 'expected a group name (letters, digits, . _ -) or a numeric gid',
      }),
      z.int().min(0),
    ])
    .optional(),
});

/** The upstream in the field: its URL and the kiosk's TLS client files (issued by the upstream CA). */
const upstreamSchema = z.strictObject({
  url: z.url({ protocol: /^https$/, error: 'expected the https:// URL of the qualification service' }),
  caFile: z.string().min(1),
  certFile: z.string().min(1),
  keyFile: z.string().min(1),
});

/** The face check: detector, how long one attempt may take, and the liveness challenge. */
const faceSchema = z.strictObject({
  detector: z.enum(DETECTORS).default('ultralight'),
  attemptMs: ms(3_000, 60_000).default(12_000),
  challenge: z.enum(['blink', 'turn', 'none']).default('blink'),
});

export const kioskConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    /** A vendor in assets/vendors, or the path of a vendor's profile.json. */
    vendor: z.string().min(1).default('generic'),
    languages: z
      .array(z.enum(LANGUAGES))
      .min(1)
      .refine(unique, { error: 'a language is listed twice' })
      .default([...LANGUAGES]),
    defaultLanguage: z.enum(LANGUAGES).default(DEFAULT_LANGUAGE),
    flow: flowSchema.prefault({}),
    /** 医療機関コード: 2-digit prefecture, 1-digit point table, 7-digit institution. */
    medicalInstitutionCode: z
      .string()
      .regex(/^\d{10}$/, { error: 'expected the 10-digit 医療機関コード' })
      .default('1319999999'),
    kioskId: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'expected letters, digits, . _ - (up to 64)' })
      .default('demo-kiosk-01'),
    paths: pathsSchema.prefault({}),
    resultsApi: resultsApiSchema.prefault({}),
    resultFiles: resultFilesSchema.prefault({}),
    /** Required outside the demo, which runs the reference upstream itself. */
    upstream: upstreamSchema.optional(),
    face: faceSchema.prefault({}),
    /** The PC/SC reader to use; the first one a card is placed on when absent. */
    reader: z.string().min(1).optional(),
  })
  .refine((c) => c.languages.includes(c.defaultLanguage), {
    error: 'defaultLanguage must be one of languages',
    path: ['defaultLanguage'],
  });

type ParsedConfig = z.output<typeof kioskConfigSchema>;
export type KioskConfig = Omit<ParsedConfig, 'paths'> & {
  paths: Record<keyof typeof DEFAULT_PATHS, string> & { cardCameraFile?: string };
};

function resolvePaths(config: ParsedConfig, base: string): KioskConfig {
  const at = (path: string) => (isAbsolute(path) ? path : resolve(base, path));
  const data = (name: keyof typeof DEFAULT_PATHS) => {
    const given = config.paths[name];
    return given === undefined ? join(kioskDataDir(), DEFAULT_PATHS[name]) : at(given);
  };
  const vendor = isProfilePath(config.vendor) ? at(config.vendor) : config.vendor;
  return {
    ...config,
    vendor,
    paths: {
      db: data('db'),
      results: data('results'),
      ...(config.paths.cardCameraFile ? { cardCameraFile: at(config.paths.cardCameraFile) } : {}),
    },
    ...(config.upstream
      ? {
          upstream: {
            ...config.upstream,
            caFile: at(config.upstream.caFile),
            certFile: at(config.upstream.certFile),
            keyFile: at(config.upstream.keyFile),
          },
        }
      : {}),
  };
}

/** Every default, paths under the kiosk's data folder ($KIOSK_DATA_DIR or the platform's). */
export function defaultKioskConfig(): KioskConfig {
  return resolvePaths(kioskConfigSchema.parse({}), process.cwd());
}

export function loadKioskConfig(file: string): KioskConfig {
  const base = dirname(resolve(file));
  const config = readJsonConfig(file, kioskConfigSchema, 'kiosk config', (parsed) => {
    const resolved = resolvePaths(parsed, base);
    const issues: LaterIssue[] = [];
    const still = resolved.paths.cardCameraFile;
    const problem = still === undefined ? null : stillFileProblem(still);
    if (problem !== null) issues.push({ path: ['paths', 'cardCameraFile'], message: problem });
    try {
      vendorProfileFile(resolved.vendor);
    } catch (error) {
      if (!(error instanceof UnknownVendorError)) throw error;
      issues.push({ path: ['vendor'], message: error.message });
    }
    return issues;
  });
  return resolvePaths(config, base);
}

/** The reception flow's settings; a compile error here means the two shapes have drifted apart. */
export function flowConfigOf(config: KioskConfig): FlowConfig {
  return { ...config.flow, consents: [...config.flow.consents] };
}
