/**
 * Vendor profiles on disk: assets/vendors/<name>/profile.json, or any profile.json a vendor hands
 * over, with its images beside it. Adding a vendor is adding a folder.
 */

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { KIOSK_PACKAGE_DIR } from '../common/node/package-dir.ts';
import { type LaterIssue, readJsonConfig } from './config-error.ts';
import { type VendorProfileData, vendorProfileSchema } from './vendor-profile-schema.ts';

export const VENDORS_DIR = join(KIOSK_PACKAGE_DIR, 'assets/vendors');
export const PROFILE_FILE = 'profile.json';

/** Large enough for any drawing; small enough to travel inside the renderer's profile message. */
const MAX_IMAGE_BYTES = 512 * 1024;

export interface VendorProfile {
  /** The profile file it was read from. */
  file: string;
  data: VendorProfileData;
  /** The images as data: URLs, so the renderer needs no file access and no extra route. */
  images: { cardGuide: string; logo: string | null };
}

export class UnknownVendorError extends Error {
  override readonly name = 'UnknownVendorError';
  constructor(readonly vendor: string) {
    super(
      isProfilePath(vendor)
        ? `no vendor profile at ${resolve(vendor)}`
        : `unknown vendor "${vendor}" (known: ${listVendors().join(', ')}; or give the path of a profile.json)`,
    );
  }
}

/** The vendors shipped in assets/vendors, by name. */
export function listVendors(dir = VENDORS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => existsSync(resolve(dir, name, PROFILE_FILE)))
    .sort();
}

export const isProfilePath = (nameOrPath: string) => /[\\/]/.test(nameOrPath) || nameOrPath.endsWith('.json');

/** A name reads assets/vendors/<name>/profile.json; anything that looks like a path is read as given. */
export function vendorProfileFile(nameOrPath: string): string {
  const file = isProfilePath(nameOrPath)
    ? resolve(nameOrPath)
    : /^[a-z0-9][a-z0-9-]*$/.test(nameOrPath)
      ? resolve(VENDORS_DIR, nameOrPath, PROFILE_FILE)
      : null;
  if (file === null || !existsSync(file)) throw new UnknownVendorError(nameOrPath);
  return file;
}

export function loadVendorProfile(nameOrPath: string): VendorProfile {
  const file = vendorProfileFile(nameOrPath);
  const dir = dirname(file);
  const images: VendorProfile['images'] = { cardGuide: '', logo: null };
  const data = readJsonConfig(file, vendorProfileSchema, 'vendor profile', (profile) => {
    const issues: LaterIssue[] = [];
    const load = (name: string, path: LaterIssue['path']) => {
      const url = imageDataUrl(resolve(dir, name));
      if (typeof url === 'string') return url;
      issues.push({ path, message: url.problem });
      return '';
    };
    images.cardGuide = load(profile.cardGuide.image, ['cardGuide', 'image']);
    images.logo = profile.brand.logo === null ? null : load(profile.brand.logo, ['brand', 'logo']);
    return issues;
  });
  return { file, data, images };
}

function imageDataUrl(path: string): string | { problem: string } {
  if (!existsSync(path) || !statSync(path).isFile()) return { problem: `no such file ${path}` };
  const bytes = readFileSync(path);
  if (bytes.length > MAX_IMAGE_BYTES) {
    return { problem: `${path} is ${bytes.length} bytes, more than ${MAX_IMAGE_BYTES}` };
  }
  if (extname(path).toLowerCase() === '.png') {
    if (!bytes.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'))) {
      return { problem: `${path} is not a PNG image` };
    }
    return `data:image/png;base64,${bytes.toString('base64')}`;
  }
  const text = bytes.toString('utf8');
  if (!/<svg[\s>]/.test(text)) return { problem: `${path} is not an SVG image` };
  // Shown through <img>, where scripts never run; refused anyway so no profile carries one.
  if (/<script|\son\w+\s*=/i.test(text)) return { problem: `${path} contains a script` };
  return `data:image/svg+xml;base64,${bytes.toString('base64')}`;
}
