import type { RendererProfile } from '../common/ui-protocol.ts';

/**
 * The contract's profile plus the vendor's own wording of the card guide, per language. The
 * contract has no field for it, so it travels as an extra property that a shell passes on
 * untouched; a profile without it shows the built-in text for `textKey`.
 */
export interface KioskRendererProfile extends RendererProfile {
  cardGuide: RendererProfile['cardGuide'] & { text?: Partial<Record<string, string>> };
}
