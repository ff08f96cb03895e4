/**
 * What a vendor profile may say: the card-placement guide, brand colours and logo, the screen, the
 * camera and the card-tray camera. A hardware vendor edits a JSON file, never code; this schema is what keeps such an
 * edit from breaking the patient screens (a colour white text cannot be read on, a portrait screen
 * wider than tall, a guide text missing in Japanese).
 */
import { z } from 'zod';
import { LANGUAGES } from '../ui/languages.ts';
import { GUIDE_KEYS } from '../ui/locales/index.ts';
import { contrastRatio } from './colour-contrast.ts';

const WHITE = '#ffffff';
/** Primary colours carry white button text: WCAG AA for normal text. */
const PRIMARY_CONTRAST = 4.5;
/** Accent colours draw focus rings and outlines on white: WCAG non-text contrast. */
const ACCENT_CONTRAST = 3;

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** Checked only once the colour is well-formed, so a typo gives one message, not two. */
const colourOnWhite = (minimum: number, use: string) =>
  z
    .string()
    .regex(HEX_COLOUR, { error: 'expected a colour written #rrggbb' })
    .refine((colour) => !HEX_COLOUR.test(colour) || contrastRatio(colour, WHITE) >= minimum, {
      error: (issue) =>
        `contrast with white is ${contrastRatio(String(issue.input), WHITE).toFixed(2)}:1, below the ${minimum}:1 that ${use} needs`,
    });

/** An image beside the profile (or a path relative to it): SVG or PNG. */
const imageFile = z
  .string()
  .min(1)
  .regex(/\.(svg|png)$/i, { error: 'expected an .svg or .png file' });

const languageTexts = z.partialRecord(z.enum(LANGUAGES), z.string().trim().min(1).max(200));

const dimension = (min: number, max: number) => z.int().min(min).max(max);

const fraction = z.number().min(0).max(1);

/** Turns the card tray's near edge to the bottom of the picture, clockwise. */
const rotation = z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)], {
  error: 'expected 0, 90, 180 or 270 (degrees clockwise)',
});

/** A region of the face camera's picture, in fractions of its width and height. */
const region = z
  .strictObject({
    x: fraction,
    y: fraction,
    width: fraction.refine((w) => w > 0, { error: 'expected more than 0' }),
    height: fraction.refine((h) => h > 0, { error: 'expected more than 0' }),
  })
  .refine((r) => r.x + r.width <= 1, { error: 'x + width reaches past the right edge (1)', path: ['width'] })
  .refine((r) => r.y + r.height <= 1, {
    error: 'y + height reaches past the bottom edge (1)',
    path: ['height'],
  });

/**
 * The camera over the card tray, for reading the card front: a video device of its own, or a
 * region of the face camera. Absent: the reader has none, and 顔認証 falls back to the PIN.
 */
const cardCamera = z.discriminatedUnion(
  'source',
  [
    z.strictObject({
      source: z.literal('device'),
      /** Part of the camera's label: the card camera is never taken for another. */
      deviceLabel: z.string().min(1),
      width: dimension(160, 3840),
      height: dimension(120, 2160),
      rotation,
    }),
    z.strictObject({ source: z.literal('face-camera'), region, rotation }),
  ],
  { error: "expected source 'device' or 'face-camera'" },
);

export const vendorProfileSchema = z
  .strictObject({
    /** Lets editors find a JSON schema; ignored here. */
    $schema: z.string().optional(),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, {
      error: 'expected lower-case letters, digits and hyphens (up to 32)',
    }),
    displayName: z.string().trim().min(1).max(80),
    cardGuide: z.strictObject({
      image: imageFile,
      orientation: z.enum(['portrait', 'landscape', 'either']),
      /** A built-in guide text, or a key of the vendor's own given in `text`. */
      textKey: z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: 'expected a key such as guide.portrait' }),
      /** The vendor's own wording per language; a language left out shows the built-in text. */
      text: languageTexts.optional(),
    }),
    brand: z.strictObject({
      primary: colourOnWhite(PRIMARY_CONTRAST, 'white button text'),
      accent: colourOnWhite(ACCENT_CONTRAST, 'a focus ring on white'),
      logo: imageFile.nullable(),
    }),
    screen: z
      .strictObject({
        orientation: z.enum(['portrait', 'landscape']),
        width: dimension(480, 7680),
        height: dimension(480, 7680),
      })
      .refine((s) => (s.orientation === 'portrait') === s.height > s.width, {
        error: 'orientation does not match width and height',
        path: ['orientation'],
      }),
    camera: z.strictObject({
      width: dimension(160, 3840),
      height: dimension(120, 2160),
      facingMode: z.enum(['user', 'environment']),
      /** Part of the camera's label, where the reader has more than one camera. */
      deviceLabel: z.string().min(1).optional(),
    }),
    cardCamera: cardCamera.optional(),
  })
  .refine((p) => GUIDE_KEYS.includes(p.cardGuide.textKey) || p.cardGuide.text?.ja !== undefined, {
    error: `a textKey of the vendor's own needs at least a Japanese text (built-in keys: ${GUIDE_KEYS.join(', ')})`,
    path: ['cardGuide', 'text'],
  });

export type VendorProfileData = z.output<typeof vendorProfileSchema>;
