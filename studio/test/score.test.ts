import { describe, expect, it } from 'vitest';
import arranged from './fixtures/ode-to-joy-arranged.json';
import { barRange, barStarts, chordsField, formSections, lockChords, notesInBars, parseBars, secondsAt, tickAt, type Score } from '../src/score';

const score = arranged as unknown as Score;

describe('bars and time of a score', () => {
  it('puts 4/4 bars every 1920 ticks, with a short first bar for a pickup', () => {
    expect(barStarts(score).slice(0, 3)).toEqual([0, 1920, 3840]);
    expect(barStarts(score)).toHaveLength(16);
    const pickup: Score = { ...score, meter: { pickup: 480, timeSignatures: [{ tick: 0, numerator: 3, denominator: 4 }] } };
    expect(barStarts(pickup).slice(0, 3)).toEqual([0, 480, 1920]);
  });

  it('reads seconds off the tempo map and back', () => {
    expect(secondsAt(score, 480)).toBeCloseTo(0.6); // 100 bpm
    const twoTempi: Score = { ...score, tempo: [{ tick: 0, bpm: 60 }, { tick: 960, bpm: 120 }] };
    expect(secondsAt(twoTempi, 1440)).toBeCloseTo(2.5);
    expect(tickAt(twoTempi, 2.5)).toBeCloseTo(1440);
    expect(tickAt(twoTempi, 1)).toBeCloseTo(480);
  });

  it('finds the notes of a bar range and writes it as the API takes it', () => {
    const melody = score.tracks[0];
    const bars5to8 = notesInBars(score, melody, 5, 8);
    expect(bars5to8.length).toBeGreaterThan(0);
    expect(bars5to8.every((n) => n.onset >= 4 * 1920 && n.onset < 8 * 1920)).toBe(true);
    expect(barRange(8, 5)).toBe('5-8');
  });
});

describe('the song\'s sections and kept chords', () => {
  const fourBars: Score = { tracks: [{ name: 'MELODY', notes: [{ pitch: 60, onset: 0, duration: 4 * 1920 }] }] };

  it('places the answer\'s form on the bars', () => {
    expect(formSections(fourBars, "A(1-2) A'(3-4)")).toEqual([
      { name: 'A', onset: 0, duration: 2 * 1920 },
      { name: "A'", onset: 2 * 1920, duration: 2 * 1920 },
    ]);
    expect(formSections(fourBars, undefined)).toEqual([]);
  });

  it('sends every kept chord, a new lock replacing the older ones over its bars', () => {
    let locks = lockChords([], { first: 1, last: 4, spec: '1-4: F G Em Am' });
    locks = lockChords(locks, { first: 9, last: 16, spec: '9: C | 10: G' });
    expect(chordsField(locks)).toBe('1-4: F G Em Am | 9: C | 10: G');
    locks = lockChords(locks, { first: 3, last: 3, spec: '3: Dm' });
    expect(chordsField(locks)).toBe('3: Dm | 9: C | 10: G');
    expect(chordsField([])).toBeUndefined();
    expect(parseBars('9-16')).toEqual({ first: 9, last: 16 });
  });
});
