// Copies the face-model weights the kiosk uses out of their npm packages into models/, so the
// kiosk (and its installer) loads them from one folder and never downloads anything at run time.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
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

// Packages whose models we take but never install: their package.json lists build tools (jest,
// webpack, babel) as runtime dependencies, which would land on every counter PC. The tarball comes
// from the npm registry through npm's own cache, and each file is checked against its digest.
const packed = [
  {
    spec: 'faceplugin-face-recognition-js@0.0.1',
    to: join(root, 'models', 'faceplugin'),
    files: {
      'package/model/fr_detect.onnx': '6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854',
      'package/model/fr_landmark.onnx': 'f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258',
      'package/model/fr_feature.onnx': '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581',
      'package/LICENSE': null,
    },
  },
];

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const present = (to, files) =>
  Object.entries(files).every(([file, digest]) => {
    const path = join(to, file.split('/').pop());
    return existsSync(path) && (digest === null || sha256(path) === digest);
  });

let copied = 0;
for (const { spec, to, files } of packed) {
  if (present(to, files)) continue;
  mkdirSync(to, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'kiosk-models-'));
  try {
    const tarball = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', work], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, ...Object.keys(files)]);
    for (const [file, digest] of Object.entries(files)) {
      const source = join(work, file);
      if (digest !== null && sha256(source) !== digest) {
        console.error(`copy-models: ${file} of ${spec} does not have the expected digest; not installed`);
        process.exit(1);
      }
      copyFileSync(source, join(to, file.split('/').pop()));
      copied++;
    }
  } catch (error) {
    console.error(
      `copy-models: could not fetch ${spec} from the npm registry (${error.message.split('\n')[0]})`,
    );
    process.exit(1);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

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
