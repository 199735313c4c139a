import { useState } from 'preact/hooks';
import type { ChordAlternatives } from '../api';
import { barRange, parseBars, type ChordLock } from '../score';
import type { BarSelection } from './PianoRoll';

/**
 * Chords the songwriter gives for the selected bars (kept in every later job), and per phrase the model's other
 * progressions to try, or a fresh choice (reharmonize).
 */
export function ChordEditor({ selection, alternatives, locks, disabled, onKeep, onTry, onReharmonize }: {
  selection: BarSelection | null;
  alternatives: ChordAlternatives[];
  locks: ChordLock[];
  disabled: boolean;
  onKeep: (chords: string) => void;
  onTry: (bars: string, chords: string) => void;
  onReharmonize: (bars: string) => void;
}) {
  const [chords, setChords] = useState('');
  const bars = selection && barRange(selection.first, selection.last);
  return (
    <div class="chord-editor">
      <form onSubmit={(e) => { e.preventDefault(); if (chords.trim()) onKeep(chords.trim()); }}>
        <label for="bar-chords">Chords for {bars ? `bars ${bars}` : 'the selected bars'} (one a bar, e.g. C G Am F7; commas split a bar)
          <input id="bar-chords" type="text" value={chords} disabled={!selection}
            onInput={(e) => setChords((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={!selection || !chords.trim() || disabled}>Keep these chords</button>
      </form>
      {locks.length > 0 && <p data-testid="kept-chords">Kept: {locks.map((l) => l.spec).join(' | ')}</p>}
      {alternatives.length > 0 && (
        <ul class="alternatives" aria-label="Other progressions">
          {alternatives.map((phrase) => (
            <li data-bars={phrase.bars}>
              <span>Bars {phrase.bars}: {phrase.progressions[0]?.chords}</span>
              {phrase.progressions.slice(1).map((p, i) => (
                <button type="button" disabled={disabled} onClick={() => onTry(phrase.bars, p.chords)}
                  aria-label={`Try progression ${i + 2} for bars ${phrase.bars}: ${p.chords}`}>
                  Try {p.chords} ({Math.round(p.probability * 100)}%)
                </button>
              ))}
              <button type="button" disabled={disabled} onClick={() => onReharmonize(phrase.bars)}>Another progression for bars {phrase.bars}</button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * A job that regenerates some bars answers alternatives only for the phrases it chose chords in; the other phrases'
 * chords are unchanged, so their earlier alternatives still apply and stay on offer.
 */
export function keptAlternatives(answered: ChordAlternatives[], earlier: ChordAlternatives[], bars: string | undefined): ChordAlternatives[] {
  if (!bars) return answered;
  const job = parseBars(bars);
  const untouched = (phrase: ChordAlternatives) => {
    const { first, last } = parseBars(phrase.bars);
    return (last < job.first || first > job.last) && !answered.some((a) => a.bars === phrase.bars);
  };
  return [...answered, ...earlier.filter(untouched)].sort((a, b) => parseBars(a.bars).first - parseBars(b.bars).first);
}
