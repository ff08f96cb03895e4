/**
 * Text lines of a flat card image, by Tesseract (tesseract.js: the engine as WebAssembly in a worker
 * thread) with the Japanese LSTM model from the npm registry, read from the installed package: no
 * network, no cache written to disk. The card image is handed over as an in-memory PGM, so nothing
 * is encoded or stored on the way.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import type { GreyPlane } from './perspective.ts';

export interface RecognisedSymbol {
  readonly text: string;
  /** 0..1 */
  readonly confidence: number;
}

export interface TextLine {
  /** The line's characters with the engine's spaces between words removed (Japanese has none). */
  readonly text: string;
  /** One per character of `text`. */
  readonly symbols: readonly RecognisedSymbol[];
  /** Bounds in the image's pixels. */
  readonly box: { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number };
}

export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface TextRecogniser {
  /**
   * Every line of text anywhere on the image. (Read as blocks of text, the engine takes the small
   * code under the photo for part of the picture.)
   */
  lines(image: GreyPlane): Promise<TextLine[]>;
  /**
   * One line again, cut out of the image, read with only `alphabet`'s characters allowed: the
   * engine then cannot drift to a look-alike outside it (令 read as 信).
   */
  line(image: GreyPlane, box: Box, alphabet: string): Promise<TextLine | null>;
  close(): Promise<void>;
}

/** The integer-quantised "best" model: as accurate as the float one, a tenth of its size. */
const MODEL_FOLDER = '4.0.0_best_int';

export function japaneseModelFolder(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tesseract.js-data/jpn/package.json')), MODEL_FOLDER);
}

export async function tesseractRecogniser(): Promise<TextRecogniser> {
  const worker: Worker = await createWorker('jpn', OEM.LSTM_ONLY, {
    langPath: japaneseModelFolder(),
    gzip: true,
    cacheMethod: 'none',
    // The engine's progress and warnings would otherwise reach the kiosk's output.
    logger: () => {},
    errorHandler: () => {},
  });
  // The card is rectified to a known size: no resolution guess (and no message about one); the
  // engine's own diagnostics go nowhere (inside its WebAssembly file system, not to disk).
  await worker.setParameters({ user_defined_dpi: '300', debug_file: '/dev/null' });
  let current = '';
  const use = async (layout: 'sparse' | 'line', alphabet = '') => {
    const key = `${layout}:${alphabet}`;
    if (key === current) return;
    // A raw line: the engine's own look for a line in the cut-out finds none where a margin of
    // grainy paper surrounds small print, and then reads nothing at all.
    const mode = layout === 'sparse' ? PSM.SPARSE_TEXT : PSM.RAW_LINE;
    await worker.setParameters({ tessedit_pageseg_mode: mode, tessedit_char_whitelist: alphabet });
    current = key;
  };
  const recognise = async (image: GreyPlane): Promise<TextLine[]> => {
    const { data } = await worker.recognize(Buffer.from(pgm(image)), {}, { blocks: true, text: false });
    const lines: TextLine[] = [];
    for (const block of data.blocks ?? []) {
      for (const paragraph of block.paragraphs) {
        for (const line of paragraph.lines) {
          const symbols = line.words
            .flatMap((word) => word.symbols)
            .map((s) => ({ text: s.text, confidence: Math.max(0, Math.min(1, s.confidence / 100)) }))
            .filter((s) => s.text.trim() !== '');
          lines.push({ text: symbols.map((s) => s.text).join(''), symbols, box: line.bbox });
        }
      }
    }
    return lines;
  };
  return {
    async lines(image) {
      await use('sparse');
      return recognise(image);
    },
    async line(image, box, alphabet) {
      await use('line', alphabet);
      // The whole line at once: read piece by piece between its wide spaces, the engine loses the
      // line's context and reads 「2035年　3月17日」 as 「235117」.
      const cut = crop(image, box);
      try {
        const symbols = (await recognise(cut)).flatMap((line) => line.symbols);
        return symbols.length > 0 ? { text: symbols.map((s) => s.text).join(''), symbols, box } : null;
      } finally {
        cut.data.fill(0);
      }
    },
    async close() {
      await worker.terminate();
    },
  };
}

function crop(image: GreyPlane, box: Box): GreyPlane {
  const x0 = Math.max(0, Math.floor(box.x0));
  const y0 = Math.max(0, Math.floor(box.y0));
  const width = Math.max(1, Math.min(image.width, Math.ceil(box.x1)) - x0);
  const height = Math.max(1, Math.min(image.height, Math.ceil(box.y1)) - y0);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    data.set(
      image.data.subarray((y0 + y) * image.width + x0, (y0 + y) * image.width + x0 + width),
      y * width,
    );
  }
  return { width, height, data };
}

/** Binary PGM (P5): a header and the bytes as they are. */
function pgm(image: GreyPlane): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${image.width} ${image.height}\n255\n`);
  const out = new Uint8Array(header.length + image.data.length);
  out.set(header);
  out.set(image.data, header.length);
  return out;
}
