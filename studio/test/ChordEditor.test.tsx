import { describe, expect, it } from 'vitest';
import { fireEvent, render } from '@testing-library/preact';
import { ChordEditor } from '../src/components/ChordEditor';

const alternatives = [{ bars: '9-16', progressions: [{ chords: '9: C | 10: G', probability: 0.6 }, { chords: '9: Am | 10: F', probability: 0.3 }] }];

describe('editing chords', () => {
  it('keeps the chords typed for the selected bars', () => {
    const kept: string[] = [];
    const { getByLabelText, getByRole } = render(<ChordEditor selection={{ first: 1, last: 4 }} alternatives={[]} locks={[]} disabled={false}
      onKeep={(c) => kept.push(c)} onTry={() => {}} onReharmonize={() => {}} />);
    fireEvent.input(getByLabelText(/Chords for bars 1-4/), { target: { value: ' F G Em Am ' } });
    fireEvent.click(getByRole('button', { name: 'Keep these chords' }));
    expect(kept).toEqual(['F G Em Am']);
  });

  it('offers the next-best progressions of a phrase and a fresh choice for its bars', () => {
    const tried: string[][] = [];
    const fresh: string[] = [];
    const { getByRole, queryByRole } = render(<ChordEditor selection={null} alternatives={alternatives} locks={[]} disabled={false}
      onKeep={() => {}} onTry={(bars, chords) => tried.push([bars, chords])} onReharmonize={(bars) => fresh.push(bars)} />);
    expect(queryByRole('button', { name: /Try progression 1 / })).toBeNull();
    fireEvent.click(getByRole('button', { name: 'Try progression 2 for bars 9-16: 9: Am | 10: F' }));
    fireEvent.click(getByRole('button', { name: 'Another progression for bars 9-16' }));
    expect(tried).toEqual([['9-16', '9: Am | 10: F']]);
    expect(fresh).toEqual(['9-16']);
    expect((getByRole('button', { name: 'Keep these chords' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
