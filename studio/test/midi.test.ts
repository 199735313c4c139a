import { describe, expect, it } from 'vitest';
import { writeMidi } from 'midi-file';
import { midiToScore } from '../src/midi';

describe('reading a MIDI file into a score', () => {
  it('pairs note on and off into notes, with the tempo, meter, name and program', () => {
    const bytes = writeMidi({
      header: { format: 1, numTracks: 1, ticksPerBeat: 480 },
      tracks: [[
        { deltaTime: 0, meta: true, type: 'trackName', text: 'TUNE' },
        { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: 500000 },
        { deltaTime: 0, meta: true, type: 'timeSignature', numerator: 3, denominator: 4, metronome: 24, thirtyseconds: 8 },
        { deltaTime: 0, type: 'programChange', channel: 0, programNumber: 73 },
        { deltaTime: 0, type: 'noteOn', channel: 0, noteNumber: 64, velocity: 90 },
        { deltaTime: 480, type: 'noteOff', channel: 0, noteNumber: 64, velocity: 0 },
        { deltaTime: 0, type: 'noteOn', channel: 0, noteNumber: 67, velocity: 80 },
        { deltaTime: 240, type: 'noteOn', channel: 0, noteNumber: 67, velocity: 0 },
        { deltaTime: 0, meta: true, type: 'endOfTrack' },
      ]],
    });
    const score = midiToScore(new Uint8Array(bytes));
    expect(score.tempo).toEqual([{ tick: 0, bpm: 120 }]);
    expect(score.meter?.timeSignatures).toEqual([{ tick: 0, numerator: 3, denominator: 4 }]);
    expect(score.tracks).toEqual([{ name: 'TUNE', program: 73, channel: 0, notes: [
      { pitch: 64, onset: 0, duration: 480, velocity: 90 },
      { pitch: 67, onset: 480, duration: 240, velocity: 80 },
    ] }]);
  });

  it('refuses a file without notes in words', () => {
    const bytes = writeMidi({ header: { format: 0, numTracks: 1, ticksPerBeat: 480 }, tracks: [[{ deltaTime: 0, meta: true, type: 'endOfTrack' }]] });
    expect(() => midiToScore(new Uint8Array(bytes))).toThrow('the MIDI file holds no notes');
  });
});
