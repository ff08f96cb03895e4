/**
 * Voice guidance: each screen is read out in the patient's language. The browser's own speech
 * (Web Speech API) is used when it has a voice for that language; otherwise a recorded file for
 * the screen, if one was shipped in assets/sounds/voice/<lang>/<screen>.wav; otherwise a chime, so
 * a patient who cannot see the screen at least hears that it changed.
 */
import { browser, type UiAudio, type UiVoice } from './browser.ts';
import type { Chime } from './chime.ts';
import { LANGUAGE_TAGS, type Language } from './languages.ts';

/** Slower than the default: many patients are elderly. */
const SPEECH_RATE = 0.9;

export class VoiceGuide {
  private voices: UiVoice[] = [];
  private playing: UiAudio | null = null;

  constructor(
    private readonly chime: Chime,
    /** `<lang>/<screen>` of the recorded files the build found. */
    private readonly recorded: ReadonlySet<string>,
  ) {
    const synth = browser.speechSynthesis;
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
    const synth = browser.speechSynthesis;
    if (voice && synth && browser.SpeechSynthesisUtterance) {
      const utterance = new browser.SpeechSynthesisUtterance(text);
      utterance.lang = LANGUAGE_TAGS[language];
      utterance.voice = voice;
      utterance.rate = SPEECH_RATE;
      synth.speak(utterance);
      return;
    }
    const file = `${language}/${screen}`;
    if (this.recorded.has(file) && browser.Audio) {
      this.playing = new browser.Audio(`sounds/voice/${file}.wav`);
      this.playing.play().catch(() => this.chime.cue());
      return;
    }
    this.chime.cue();
  }

  stop(): void {
    browser.speechSynthesis?.cancel();
    this.playing?.pause();
    this.playing = null;
  }

  private voiceFor(language: Language): UiVoice | null {
    const tag = LANGUAGE_TAGS[language].toLowerCase();
    const matches = (voice: UiVoice) => voice.lang.replace('_', '-').toLowerCase();
    return (
      this.voices.find((voice) => matches(voice) === tag) ??
      this.voices.find((voice) => matches(voice).split('-')[0] === language) ??
      null
    );
  }
}
