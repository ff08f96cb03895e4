import type { Analysis, Box, Point } from './engine/face-engine.ts';
import { type Frame, wipeFrame } from './image/frame.ts';
import { clipBox, crop, laplacianVariance, luminanceStats, resizeToMaxSide } from './image/ops.ts';
import { QUALITY_REASONS, type QualityReason } from './reasons.ts';

/**
 * Limits of a usable frame. Geometry is relative to the frame, so the same limits hold for a
 * 640×480 camera and a large photo; light and sharpness are measured on the face itself.
 */
export interface QualityLimits {
  /** A second face at least this fraction of the main face's area counts. */
  secondFaceArea: number;
  /** Face width as a fraction of the frame width. */
  minFaceWidth: number;
  maxFaceWidth: number;
  /** Largest fraction of the face box that may lie outside the frame. */
  maxFaceOutside: number;
  /** Largest offset of the face centre from the frame centre, as a fraction of width / height. */
  maxCentreOffsetX: number;
  maxCentreOffsetY: number;
  /** Nose position between the jaw ends, 0.5 = frontal; outside [min, 1 - min] the head is turned. */
  minYawBalance: number;
  maxRollDegrees: number;
  /** Face mean luminance (0–255) below which it is too dark. */
  minFaceLuminance: number;
  /** Background brighter than the face by this much, with the face below `backlitFaceMax`. */
  backlitContrast: number;
  backlitFaceMax: number;
  /** 100 × Laplacian variance ÷ grey variance of the face scaled to 128 px; below it the face is blurred. */
  minSharpness: number;
  /** Eye aspect ratio below which the eyes count as closed. */
  minEyeAspect: number;
  /** Lower face much flatter than the upper face: texture ratio below this means covered. */
  maxCoveredTexture: number;
  /** Fraction of saturated pixels around the eyes that means glare. */
  maxEyeGlare: number;
}

export const DEFAULT_QUALITY_LIMITS: QualityLimits = {
  secondFaceArea: 0.25,
  minFaceWidth: 0.12,
  maxFaceWidth: 0.6,
  maxFaceOutside: 0.1,
  maxCentreOffsetX: 0.25,
  maxCentreOffsetY: 0.3,
  minYawBalance: 0.3,
  maxRollDegrees: 15,
  minFaceLuminance: 55,
  backlitContrast: 60,
  backlitFaceMax: 110,
  minSharpness: 8,
  minEyeAspect: 0.16,
  maxCoveredTexture: 0.25,
  maxEyeGlare: 0.08,
};

/** What the quality check measured on the main face: kept for logs and calibration, no image data. */
export interface QualityMeasures {
  faceWidth: number;
  centreOffset: { x: number; y: number };
  outside: number;
  yawBalance: number;
  rollDegrees: number;
  faceLuminance: number;
  backgroundLuminance: number;
  sharpness: number;
  eyeAspect: number;
  lowerTexture: number;
  eyeGlare: number;
}

export interface QualityResult {
  /** Problems found, in the order a patient should fix them; empty for a good frame. */
  reasons: QualityReason[];
  measures?: QualityMeasures;
}

/** Checks the frame `analysis` was made from (any size: boxes are scaled back to it). */
export function assessQuality(
  frame: Frame,
  analysis: Pick<Analysis, 'width' | 'height' | 'faces'>,
  limits: QualityLimits = DEFAULT_QUALITY_LIMITS,
): QualityResult {
  const [face] = analysis.faces;
  if (!face) return { reasons: ['no-face'] };
  const scale = frame.width / analysis.width;
  const found = new Set<QualityReason>();
  if (secondFaceFound(analysis.faces, limits.secondFaceArea)) found.add('several-faces');

  const box = scaleBox(face.box, scale);
  const pts = face.landmarks.map((p) => ({ x: p.x * scale, y: p.y * scale }));
  const W = frame.width;
  const H = frame.height;

  const faceWidth = box.width / W;
  const outside = 1 - area(clipBox(box, W, H)) / area(box);
  const centreOffset = {
    x: Math.abs(box.x + box.width / 2 - W / 2) / W,
    y: Math.abs(box.y + box.height / 2 - H / 2) / H,
  };
  if (faceWidth < limits.minFaceWidth) found.add('too-far');
  if (faceWidth > limits.maxFaceWidth) found.add('too-close');
  if (
    outside > limits.maxFaceOutside ||
    centreOffset.x > limits.maxCentreOffsetX ||
    centreOffset.y > limits.maxCentreOffsetY
  ) {
    found.add('off-centre');
  }

  const leftEye = centre(pts.slice(36, 42));
  const rightEye = centre(pts.slice(42, 48));
  // Along the line through the eyes, not the frame's x axis: a tilted frontal head is not turned.
  const roll = Math.atan2(rightEye.y - leftEye.y, rightEye.x - leftEye.x);
  const along = (p: { x: number; y: number }) => p.x * Math.cos(roll) + p.y * Math.sin(roll);
  const yawBalance = (along(pts[30]!) - along(pts[0]!)) / Math.max(1, along(pts[16]!) - along(pts[0]!));
  if (yawBalance < limits.minYawBalance || yawBalance > 1 - limits.minYawBalance) found.add('head-turned');
  const rollDegrees = (roll * 180) / Math.PI;
  if (Math.abs(rollDegrees) > limits.maxRollDegrees) found.add('head-tilted');

  const inside = clipBox(box, W, H);
  const faceStats = luminanceStats(frame, inside);
  const whole = luminanceStats(frame);
  const faceArea = area(inside);
  const rest = W * H - faceArea;
  const backgroundLuminance = rest > 0 ? (whole.mean * W * H - faceStats.mean * faceArea) / rest : whole.mean;
  const backlit =
    backgroundLuminance - faceStats.mean > limits.backlitContrast && faceStats.mean < limits.backlitFaceMax;
  if (backlit) found.add('backlit');
  else if (faceStats.mean < limits.minFaceLuminance) found.add('too-dark');

  // Laplacian variance over the grey variance: contrast cancels out, so a dark but sharp face is
  // not taken for a blurred one.
  const faceCrop = resizeToMaxSide(crop(frame, inside), 128);
  const sharpness = (100 * laplacianVariance(faceCrop)) / Math.max(1, luminanceStats(faceCrop).std ** 2);
  wipeFrame(faceCrop);
  if (sharpness < limits.minSharpness) found.add('blurred');

  const eyeAspect = meanEyeAspect(pts);
  if (eyeAspect < limits.minEyeAspect) found.add('eyes-closed');

  const lowerTexture = coveredTexture(frame, leftEye, rightEye, W, H);
  if (lowerTexture < limits.maxCoveredTexture) found.add('face-covered');

  const eyes = clipBox(expand(boundingBox(pts.slice(36, 48)), 0.3), W, H);
  const eyeGlare = area(eyes) > 0 ? luminanceStats(frame, eyes).saturated : 0;
  if (eyeGlare > limits.maxEyeGlare) found.add('glasses-glare');

  return {
    reasons: QUALITY_REASONS.filter((r) => found.has(r)),
    measures: {
      faceWidth,
      centreOffset,
      outside,
      yawBalance,
      rollDegrees,
      faceLuminance: faceStats.mean,
      backgroundLuminance,
      sharpness,
      eyeAspect,
      lowerTexture,
      eyeGlare,
    },
  };
}

/**
 * Texture around the mouth relative to the eye band, both placed from the eye centres (which stay
 * reliable under a mask, unlike the mouth landmarks): a mask or a hand over the mouth is much
 * flatter than skin with a mouth. The mouth lies about 1.1 eye distances below the eye line.
 */
function coveredTexture(frame: Frame, leftEye: Point, rightEye: Point, W: number, H: number): number {
  const ipd = Math.hypot(rightEye.x - leftEye.x, rightEye.y - leftEye.y);
  const mid = { x: (leftEye.x + rightEye.x) / 2, y: (leftEye.y + rightEye.y) / 2 };
  const mouth = clipBox({ x: mid.x - 0.5 * ipd, y: mid.y + 0.9 * ipd, width: ipd, height: 0.45 * ipd }, W, H);
  const eyes = clipBox({ x: mid.x - ipd, y: mid.y - 0.25 * ipd, width: 2 * ipd, height: 0.5 * ipd }, W, H);
  if (area(mouth) < 4 || area(eyes) < 4) return 1;
  return luminanceStats(frame, mouth).std / Math.max(1, luminanceStats(frame, eyes).std);
}

/**
 * A second face counts when it is at least `minFraction` of the largest one's area: a passer-by far
 * behind the patient does not stop the visit.
 */
export function secondFaceFound(faces: readonly { box: Box }[], minFraction: number): boolean {
  const [main, second] = faces;
  return main !== undefined && second !== undefined && area(second.box) >= minFraction * area(main.box);
}

/** Eye aspect ratio (Soukupová & Čech 2016) of six iBUG eye points: (|p2−p6| + |p3−p5|) / 2|p1−p4|. */
export function eyeAspectRatio(eye: readonly Point[]): number {
  const [p1, p2, p3, p4, p5, p6] = eye as [Point, Point, Point, Point, Point, Point];
  const width = dist(p1, p4);
  return width > 0 ? (dist(p2, p6) + dist(p3, p5)) / (2 * width) : 0;
}

/** Both eyes (iBUG 36–41 and 42–47) averaged. */
export function meanEyeAspect(landmarks: readonly Point[]): number {
  return (eyeAspectRatio(landmarks.slice(36, 42)) + eyeAspectRatio(landmarks.slice(42, 48))) / 2;
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
const area = (b: Box) => Math.max(0, b.width) * Math.max(0, b.height);

function centre(points: Point[]): Point {
  const n = points.length;
  return { x: points.reduce((s, p) => s + p.x, 0) / n, y: points.reduce((s, p) => s + p.y, 0) / n };
}

function boundingBox(points: Point[]): Box {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

function expand(b: Box, by: number): Box {
  return {
    x: b.x - b.width * by,
    y: b.y - b.height * by,
    width: b.width * (1 + 2 * by),
    height: b.height * (1 + 2 * by),
  };
}

function scaleBox(b: Box, s: number): Box {
  return { x: b.x * s, y: b.y * s, width: b.width * s, height: b.height * s };
}
