import { describe, expect, it } from 'vitest';
import { fireEvent, render } from '@testing-library/preact';
import arranged from './fixtures/ode-to-joy-arranged.json';
import { PianoRoll, type BarSelection } from '../src/components/PianoRoll';
import { ArrangementView } from '../src/components/Player';
import { Player, audibleTracks } from '../src/synth';
import type { Score } from '../src/score';

const score = arranged as unknown as Score;

describe('the piano roll', () => {
  it('draws each track in its own lane with every note, the chord symbols and the sections', () => {
    const withSections: Score = { ...score, sections: [{ onset: 0, duration: 7680, name: 'A' }, { onset: 7680, duration: 7680, name: 'B' }] };
    const { container, getByLabelText } = render(<PianoRoll score={withSections} selection={null} onSelectBar={() => {}} audible={[]} />);
    for (const track of score.tracks) {
      const lane = container.querySelector(`[data-track="${track.name}"]`)!;
      expect(lane.querySelectorAll('.note')).toHaveLength(track.notes.length);
    }
    expect([...container.querySelectorAll('.chord')].map((c) => c.textContent).slice(0, 4)).toEqual(['C', 'G', 'C', 'Am']);
    expect([...container.querySelectorAll('.section text')].map((s) => s.textContent)).toEqual(['A', 'B']);
    expect(getByLabelText('Bar 16')).toBeTruthy();
  });

  it('selects a bar by click or by keyboard, Shift extending the selection', () => {
    const picks: [number, boolean][] = [];
    const { getByLabelText } = render(<PianoRoll score={score} selection={null} onSelectBar={(bar, extend) => picks.push([bar, extend])} audible={[]} />);
    fireEvent.click(getByLabelText('Bar 5'));
    fireEvent.keyDown(getByLabelText('Bar 8'), { key: 'Enter', shiftKey: true });
    expect(picks).toEqual([[5, false], [8, true]]);
  });

  it('shows the selected bars as pressed', () => {
    const selection: BarSelection = { first: 5, last: 8 };
    const { getByLabelText } = render(<PianoRoll score={score} selection={selection} onSelectBar={() => {}} audible={[]} />);
    expect(getByLabelText('Bar 5').getAttribute('aria-pressed')).toBe('true');
    expect(getByLabelText('Bar 9').getAttribute('aria-pressed')).toBe('false');
  });
});

describe('mute and solo', () => {
  it('mutes a track, and a solo silences every track not soloed', () => {
    expect(audibleTracks([false, true, false], [false, false, false])).toEqual([true, false, true]);
    expect(audibleTracks([false, true, false], [false, true, false])).toEqual([false, true, false]);
  });

  it('greys out the lanes that do not sound when a track is soloed', () => {
    const { container, getByLabelText } = render(<ArrangementView score={score} selection={null} onSelection={() => {}} player={new Player()} />);
    fireEvent.click(getByLabelText('Solo BASS'));
    expect([...container.querySelectorAll('.lane.silent')].map((l) => l.getAttribute('data-track'))).toEqual(['MELODY', 'PIANO', 'COUNTER']);
  });
});
