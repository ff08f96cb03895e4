import type { Language } from '../languages.ts';
import { en } from './en.ts';
import { ja, type Messages } from './ja.ts';
import { ko } from './ko.ts';
import { pt } from './pt.ts';
import { vi } from './vi.ts';
import { zh } from './zh.ts';

export type { Messages };

/** Every language's texts; the type makes a missing or extra key a compile error. */
export const MESSAGES: Record<Language, Messages> = { ja, en, zh, ko, vi, pt };

/** The built-in card-guide texts a vendor profile may name as its `textKey`. */
export const GUIDE_KEYS = Object.keys(ja.guide).map((key) => `guide.${key}`);
