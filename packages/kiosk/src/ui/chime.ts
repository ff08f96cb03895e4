/**
 * Tones made on the spot with Web Audio, so no sound file has to ship: a soft cue when a screen
 * has no voice in the patient's language, and the take-card reminder, which climbs in pitch,
 * loudness and length with every reminder until the card is taken.
 */
interface Tone {
  hz: number;
  seconds: number;
}

/** Per reminder level: the notes and how loud. Level 0 is the first call on arrival. */
const REMINDERS: { notes: Tone[]; volume: number; wave: OscillatorType }[] = [
  { notes: [tone(880, 0.25), tone(660, 0.35)], volume: 0.25, wave: 'sine' },
  { notes: [tone(988, 0.2), tone(784, 0.2), tone(988, 0.2), tone(784, 0.3)], volume: 0.4, wave: 'sine' },
  {
    notes: [tone(1175, 0.18), tone(880, 0.18), tone(1175, 0.18), tone(880, 0.18), tone(1175, 0.3)],
    volume: 0.55,
    wave: 'triangle',
  },
  {
    notes: [1, 2, 3].flatMap(() => [tone(1319, 0.16), tone(988, 0.16)]),
    volume: 0.7,
    wave: 'triangle',
  },
];

export const REMINDER_LEVELS = REMINDERS.length;

function tone(hz: number, seconds: number): Tone {
  return { hz, seconds };
}

export class Chime {
  private context: AudioContext | null = null;

  /** Browsers start audio only after a touch; the shell may allow it earlier. */
  unlock(): void {
    const context = this.audio();
    if (context?.state === 'suspended') context.resume().catch(() => {});
  }

  cue(): void {
    this.play([tone(784, 0.15), tone(1047, 0.25)], 0.2, 'sine');
  }

  reminder(level: number): void {
    const step = REMINDERS[Math.min(Math.max(level, 0), REMINDERS.length - 1)]!;
    this.play(step.notes, step.volume, step.wave);
  }

  private audio(): AudioContext | null {
    if (!this.context && typeof AudioContext === 'function') {
      try {
        this.context = new AudioContext();
      } catch {
        return null;
      }
    }
    return this.context;
  }

  private play(notes: Tone[], volume: number, wave: OscillatorType): void {
    const context = this.audio();
    if (!context) return;
    if (context.state === 'suspended') context.resume().catch(() => {});
    let at = context.currentTime + 0.02;
    for (const note of notes) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = wave;
      oscillator.frequency.setValueAtTime(note.hz, at);
      // A quick rise and a long fall: a bell, not a beep.
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(volume, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + note.seconds);
      oscillator.connect(gain);
      gain.connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + note.seconds + 0.05);
      at += note.seconds;
    }
  }
}
