import type { Ref } from 'preact';
import { barStarts, endTick, ticksPerQuarter, type Score } from '../score';

export interface BarSelection { first: number; last: number }

const LANE_HEIGHT = 72;
const HEADER = 58;
const LABEL_WIDTH = 88;
const GUTTER = 4;
export const TRACK_COLOURS = ['#d9480f', '#1971c2', '#2f9e44', '#9c36b5', '#e8590c', '#0c8599', '#5f3dc4', '#c2255c'];

interface Props {
  score: Score;
  selection: BarSelection | null;
  onSelectBar: (bar: number, extend: boolean) => void;
  audible: boolean[];
  playheadRef?: Ref<SVGLineElement>;
}

/** Every track in its own lane (its own pitch range), chord symbols and sections above, bars to select; the track names stay in view while the roll scrolls. */
export function PianoRoll({ score, selection, onSelectBar, audible, playheadRef }: Props) {
  const tpq = ticksPerQuarter(score);
  const pxPerTick = 28 / tpq;
  const starts = barStarts(score);
  const end = Math.max(endTick(score), starts[starts.length - 1] + tpq);
  const width = GUTTER + end * pxPerTick + 8;
  const height = HEADER + score.tracks.length * LANE_HEIGHT;
  const x = (tick: number) => GUTTER + tick * pxPerTick;
  const barEnd = (i: number) => starts[i + 1] ?? end;
  return (
    <div class="roll">
      <svg class="lane-names" width={LABEL_WIDTH} height={height} aria-hidden="true">
        {score.tracks.map((track, lane) => (
          <text x={4} y={HEADER + lane * LANE_HEIGHT + LANE_HEIGHT / 2 + 4}>{track.name}</text>
        ))}
      </svg>
      <div class="roll-scroll">
        <svg class="piano-roll" width={width} height={height} role="group" aria-label="Piano roll" data-end-tick={end}>
          {selection && (
            <rect class="selection" x={x(starts[selection.first - 1] ?? 0)} y={0}
              width={(barEnd(selection.last - 1) - (starts[selection.first - 1] ?? 0)) * pxPerTick} height={height} />
          )}
          {(score.sections ?? []).map((section) => (
            <g class="section">
              <rect x={x(section.onset)} y={2} width={section.duration * pxPerTick - 2} height={16} />
              <text x={x(section.onset) + 4} y={14}>{section.name ?? section.label}</text>
            </g>
          ))}
          {(score.chords ?? []).map((chord) => (
            <text class="chord" x={x(chord.onset) + 2} y={34} data-onset={chord.onset} aria-label={`chord ${chord.name}`}>{chord.name}</text>
          ))}
          {starts.map((start, i) => {
            const bar = i + 1;
            const selected = selection !== null && bar >= selection.first && bar <= selection.last;
            return (
              <g class={`bar${selected ? ' selected' : ''}`} role="button" tabIndex={0} aria-pressed={selected} aria-label={`Bar ${bar}`}
                onClick={(e) => onSelectBar(bar, (e as MouseEvent).shiftKey)}
                onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelectBar(bar, e.shiftKey); } }}>
                <rect x={x(start)} y={38} width={(barEnd(i) - start) * pxPerTick} height={18} />
                <text x={x(start) + 3} y={51}>{bar}</text>
              </g>
            );
          })}
          {starts.map((start) => <line class="bar-line" x1={x(start)} x2={x(start)} y1={38} y2={height} />)}
          {score.tracks.map((track, lane) => {
            const top = HEADER + lane * LANE_HEIGHT;
            const pitches = track.notes.map((n) => n.pitch);
            const low = Math.min(...pitches, 127);
            const high = Math.max(...pitches, low + 11);
            const rowHeight = (LANE_HEIGHT - 8) / (high - low + 1);
            const colour = TRACK_COLOURS[lane % TRACK_COLOURS.length];
            return (
              <g class={`lane${audible[lane] === false ? ' silent' : ''}`} data-track={track.name} aria-label={`Track ${track.name}, ${track.notes.length} notes`}>
                <rect class="lane-bg" x={GUTTER} y={top} width={width - GUTTER} height={LANE_HEIGHT} />
                {track.notes.map((note) => (
                  <rect class="note" x={x(note.onset)} y={top + 4 + (high - note.pitch) * rowHeight} width={Math.max(2, note.duration * pxPerTick - 1)}
                    height={Math.max(2, rowHeight)} fill={colour} data-pitch={note.pitch} data-onset={note.onset} data-duration={note.duration} />
                ))}
              </g>
            );
          })}
          <line ref={playheadRef} class="playhead" x1={GUTTER} x2={GUTTER} y1={0} y2={height} data-tick="0" />
        </svg>
      </div>
    </div>
  );
}

/** The playhead's x for a tick, as the piano roll draws it. */
export function playheadX(score: Score, tick: number): number {
  return GUTTER + tick * (28 / ticksPerQuarter(score));
}
