import { describe, expect, it } from 'vitest';
import { fireEvent, render } from '@testing-library/preact';
import { ChordEditor, keptAlternatives } from '../src/components/ChordEditor';


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

describe('the alternatives on offer after an edit', () => {
  const phrase = (bars: string) => ({ bars, progressions: [{ chords: `${bars.split('-')[0]}: C`, probability: 1 }] });

  it('keeps the earlier alternatives of the phrases the job did not touch', () => {
    expect(keptAlternatives([phrase('1-8')], [phrase('1-8'), phrase('9-16'), phrase('17-24')], '1-4').map((p) => p.bars))
      .toEqual(['1-8', '9-16', '17-24']);
    expect(keptAlternatives([], [phrase('1-8'), phrase('9-16')], '5-12').map((p) => p.bars)).toEqual([]);
    expect(keptAlternatives([phrase('1-8')], [phrase('9-16')], undefined).map((p) => p.bars)).toEqual(['1-8']);
  });
});
