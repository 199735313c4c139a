// Plays a score in the browser with the Web Audio API: one simple voice per note, one gain per track (mute/solo),
// optionally looping a tick range. The audio clock (AudioContext.currentTime) drives the playhead.
import { secondsAt, tickAt, type Score } from './score';

const LOOK_AHEAD_SECONDS = 0.05;

export class Player {
  private context: AudioContext | null = null;
  private trackGains: GainNode[] = [];
  private voices: AudioScheduledSourceNode[] = [];
  private startedAt = 0;
  private fromSeconds = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private audible: boolean[] = [];
  playing = false;

  constructor(private readonly createContext: () => AudioContext = () => new AudioContext()) {}

  /** Starts at fromTick; with loopTo, plays fromTick..loopTo again and again. */
  async play(score: Score, fromTick: number, loopTo?: number): Promise<void> {
    this.stop();
    this.context ??= this.createContext();
    if (this.context.state === 'suspended') await this.context.resume();
    const context = this.context;
    this.trackGains = score.tracks.map((_, i) => {
      const gain = context.createGain();
      gain.gain.value = this.audible[i] === false ? 0 : 1;
      gain.connect(context.destination);
      return gain;
    });
    this.fromSeconds = secondsAt(score, fromTick);
    const endSeconds = loopTo !== undefined ? secondsAt(score, loopTo) : Math.max(...score.tracks.flatMap((t) => t.notes.map((n) => secondsAt(score, n.onset + n.duration))), 0);
    this.startedAt = context.currentTime + LOOK_AHEAD_SECONDS;
    score.tracks.forEach((track, index) => {
      for (const note of track.notes) {
        const start = secondsAt(score, note.onset);
        if (start < this.fromSeconds || start >= endSeconds) continue;
        const end = Math.min(secondsAt(score, note.onset + note.duration), endSeconds);
        this.voice(context, this.trackGains[index], note.pitch, (note.velocity ?? 90) / 127, this.startedAt + start - this.fromSeconds,
          this.startedAt + end - this.fromSeconds, track.channel === 9 || track.role === 'drums');
      }
    });
    this.playing = true;
    const length = endSeconds - this.fromSeconds;
    this.timer = setTimeout(() => {
      if (loopTo !== undefined) void this.play(score, fromTick, loopTo);
      else this.stop();
    }, (length + LOOK_AHEAD_SECONDS) * 1000);
  }

  private voice(context: AudioContext, out: GainNode, pitch: number, level: number, start: number, end: number, percussive: boolean) {
    const oscillator = context.createOscillator();
    oscillator.type = percussive ? 'square' : 'triangle';
    oscillator.frequency.value = percussive ? 80 + (pitch % 12) * 20 : 440 * 2 ** ((pitch - 69) / 12);
    const envelope = context.createGain();
    const stop = percussive ? start + 0.08 : Math.max(end, start + 0.05);
    envelope.gain.setValueAtTime(0, start);
    envelope.gain.linearRampToValueAtTime(0.18 * level, start + 0.01);
    envelope.gain.setTargetAtTime(0, stop - 0.02, 0.03);
    oscillator.connect(envelope).connect(out);
    oscillator.start(start);
    oscillator.stop(stop + 0.2);
    this.voices.push(oscillator);
  }

  /** Mute/solo result: which tracks sound. Applies at once while playing. */
  setAudible(audible: boolean[]): void {
    this.audible = audible;
    this.trackGains.forEach((gain, i) => { gain.gain.value = audible[i] === false ? 0 : 1; });
  }

  /** The tick under the playhead now (null when stopped): read off the audio clock. */
  position(score: Score): number | null {
    if (!this.playing || !this.context) return null;
    return tickAt(score, this.fromSeconds + Math.max(0, this.context.currentTime - this.startedAt));
  }

  /** The audio clock in seconds (0 before the first play). */
  clock(): number {
    return this.context?.currentTime ?? 0;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const voice of this.voices) {
      try { voice.stop(); } catch { /* already stopped */ }
    }
    this.voices = [];
    this.trackGains.forEach((gain) => gain.disconnect());
    this.trackGains = [];
    this.playing = false;
  }
}

/** Mute and solo as a mixer does: any solo silences every track not soloed; mute silences its own. */
export function audibleTracks(muted: boolean[], soloed: boolean[]): boolean[] {
  const anySolo = soloed.some(Boolean);
  return muted.map((mute, i) => (anySolo ? soloed[i] : !mute));
}
