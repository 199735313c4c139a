// A Standard MIDI File read into Merlai's score format in the browser: the API takes scores inline.
import { parseMidi } from 'midi-file';
import type { Score, Track } from './score';

export function midiToScore(bytes: Uint8Array): Score {
  const midi = parseMidi(bytes);
  const tpq = midi.header.ticksPerBeat ?? 480;
  const tempo: { tick: number; bpm: number }[] = [];
  const timeSignatures: { tick: number; numerator: number; denominator: number }[] = [];
  const tracks: Track[] = [];
  midi.tracks.forEach((events, index) => {
    let tick = 0;
    let name = `Track ${index + 1}`;
    let program: number | undefined;
    let channel: number | undefined;
    const open = new Map<number, { onset: number; velocity: number }>();
    const notes: Track['notes'] = [];
    for (const event of events) {
      tick += event.deltaTime;
      switch (event.type) {
        case 'trackName': name = event.text; break;
        case 'setTempo': tempo.push({ tick, bpm: 60_000_000 / event.microsecondsPerBeat }); break;
        case 'timeSignature': timeSignatures.push({ tick, numerator: event.numerator, denominator: event.denominator }); break;
        case 'programChange': program ??= event.programNumber; break;
        case 'noteOn':
        case 'noteOff': {
          channel ??= event.channel;
          const key = event.channel * 128 + event.noteNumber;
          const started = open.get(key);
          if (started) {
            notes.push({ pitch: event.noteNumber, onset: started.onset, duration: Math.max(1, tick - started.onset), velocity: started.velocity });
            open.delete(key);
          }
          if (event.type === 'noteOn' && event.velocity > 0) open.set(key, { onset: tick, velocity: event.velocity });
          break;
        }
      }
    }
    if (notes.length) tracks.push({ name, program, channel, notes: notes.sort((a, b) => a.onset - b.onset || a.pitch - b.pitch) });
  });
  if (!tracks.length) throw new Error('the MIDI file holds no notes');
  const score: Score = { format: 'merlai.score', version: 1, ticksPerQuarter: tpq, tracks };
  if (tempo.length) score.tempo = tempo;
  if (timeSignatures.length) score.meter = { pickup: 0, timeSignatures };
  return score;
}
