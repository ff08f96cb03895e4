/**
 * Voice guidance: each screen is read out in the patient's language. The browser's own speech
 * (Web Speech API) is used when it has a voice for that language; otherwise a recorded file for
 * the screen, if one was shipped in assets/sounds/voice/<lang>/<screen>.wav; otherwise a chime, so
 * a patient who cannot see the screen at least hears that it changed.
 */
import type { Chime } from './chime.ts';
import { LANGUAGE_TAGS, type Language } from './languages.ts';

/** Slower than the default: many patients are elderly. */
const SPEECH_RATE = 0.9;

/** Not every shell's Chromium has speech (some Linux builds lack it), whatever the DOM types say. */
const speech = (): SpeechSynthesis | undefined =>
  typeof SpeechSynthesisUtterance === 'function'
    ? (window.speechSynthesis as SpeechSynthesis | undefined)
    : undefined;

export class VoiceGuide {
  private voices: SpeechSynthesisVoice[] = [];
  private playing: HTMLAudioElement | null = null;

  constructor(
    private readonly chime: Chime,
    /** `<lang>/<screen>` of the recorded files the build found. */
    private readonly recorded: ReadonlySet<string>,
  ) {
    const synth = speech();
    if (synth) {
      this.voices = synth.getVoices();
      // Voices arrive late in Chromium: the first call often returns none.
      synth.addEventListener('voiceschanged', () => {
        this.voices = synth.getVoices();
      });
    }
  }

  /** Says `text` for `screen`, cutting off whatever was being said. */
  say(text: string, language: Language, screen: string): void {
    this.stop();
    const voice = this.voiceFor(language);
    const synth = speech();
    if (voice && synth) {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = LANGUAGE_TAGS[language];
      utterance.voice = voice;
      utterance.rate = SPEECH_RATE;
      synth.speak(utterance);
      return;
    }
    const file = `${language}/${screen}`;
    if (this.recorded.has(file)) {
      this.playing = new Audio(`sounds/voice/${file}.wav`);
      this.playing.play().catch(() => this.chime.cue());
      return;
    }
    this.chime.cue();
  }

  stop(): void {
    speech()?.cancel();
    this.playing?.pause();
    this.playing = null;
  }

  private voiceFor(language: Language): SpeechSynthesisVoice | null {
    const tag = LANGUAGE_TAGS[language].toLowerCase();
    const matches = (voice: SpeechSynthesisVoice) => voice.lang.replace('_', '-').toLowerCase();
    return (
      this.voices.find((voice) => matches(voice) === tag) ??
      this.voices.find((voice) => matches(voice).split('-')[0] === language) ??
      null
    );
  }
}
