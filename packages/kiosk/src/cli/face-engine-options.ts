import { Option } from 'commander';
import { DESCRIBERS, DETECTORS, type DescriberName, type DetectorName } from '../face/engine/names.ts';

export interface EngineChoice {
  detector: DetectorName;
  describer: DescriberName;
}

/** `--detector` and `--describer`, the same on every face command. */
export function engineOptions(): Option[] {
  return [
    new Option('--detector <name>', "face detector (ssd and tiny are face-api's, for comparison)")
      .choices(DETECTORS)
      .default('ultralight'),
    new Option('--describer <name>', 'face descriptor (faceapi needs --detector ssd or tiny)')
      .choices(DESCRIBERS)
      .default('arcface'),
  ];
}
