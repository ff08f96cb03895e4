/**
 * `ultralight`: the faceplugin RFB-320 detector and its 68-point landmark net (ONNX); `ssd` and
 * `tiny`: face-api's detectors and 68-point net (TensorFlow.js), kept for comparison.
 */
export type DetectorName = 'ultralight' | 'ssd' | 'tiny';
/** `arcface`: faceplugin's 512-d network on a five-point aligned crop; `faceapi`: face-api's 128-d one. */
export type DescriberName = 'arcface' | 'faceapi';
export const DETECTORS: readonly DetectorName[] = ['ultralight', 'ssd', 'tiny'];
export const DESCRIBERS: readonly DescriberName[] = ['arcface', 'faceapi'];
