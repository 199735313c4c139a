import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { musicXmlToScore, unzipMxl } from '../src/musicxml';

const lied = join(import.meta.dirname, '..', '..', 'examples', 'lieder', 'lc5729860.mxl');

describe('reading MusicXML into a score', () => {
  it('reads a compressed MusicXML song: each part a track, its meter and notes', async () => {
    const score = musicXmlToScore(await unzipMxl(new Uint8Array(readFileSync(lied))));
    expect(score.tracks.length).toBeGreaterThanOrEqual(2);
    expect(score.tracks[0].name).toContain('Singstimme');
    expect(score.meter?.timeSignatures?.[0].denominator).toBeGreaterThan(0);
    for (const track of score.tracks) {
      expect(track.notes.length).toBeGreaterThan(10);
      expect(track.notes.every((n) => n.pitch > 20 && n.pitch < 110 && n.duration > 0 && n.onset >= 0)).toBe(true);
    }
  });

  it('joins tied notes, stacks chords and follows backup for a second voice', () => {
    const score = musicXmlToScore(`<?xml version="1.0"?><score-partwise><part-list><score-part id="P1"><part-name>Tune</part-name></score-part></part-list>
      <part id="P1"><measure number="1"><attributes><divisions>2</divisions><time><beats>3</beats><beat-type>4</beat-type></time></attributes>
        <direction><sound tempo="90"/></direction>
        <note><pitch><step>C</step><octave>4</octave></pitch><duration>4</duration><tie type="start"/></note>
        <note><chord/><pitch><step>E</step><octave>4</octave></pitch><duration>4</duration></note>
        <note><pitch><step>C</step><octave>4</octave></pitch><duration>2</duration><tie type="stop"/></note>
        <backup><duration>6</duration></backup>
        <note><rest/><duration>2</duration></note>
        <note><pitch><step>F</step><alter>1</alter><octave>3</octave></pitch><duration>4</duration></note>
      </measure></part></score-partwise>`);
    expect(score.tempo).toEqual([{ tick: 0, bpm: 90 }]);
    expect(score.meter?.timeSignatures).toEqual([{ tick: 0, numerator: 3, denominator: 4 }]);
    expect(score.tracks[0].notes.map(({ pitch, onset, duration }) => ({ pitch, onset, duration }))).toEqual([
      { pitch: 60, onset: 0, duration: 1440 },
      { pitch: 64, onset: 0, duration: 960 },
      { pitch: 54, onset: 480, duration: 960 },
    ]);
  });
});
