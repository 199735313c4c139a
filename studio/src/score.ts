// Merlai's JSON note format (music/src/main/resources/score.schema.json), as far as the page reads it.
export interface Note { pitch: number; onset: number; duration: number; velocity?: number }
export interface Track { name: string; role?: string; program?: number; channel?: number; notes: Note[] }
export interface Chord { onset: number; duration: number; label?: string; name: string }
export interface Section { onset: number; duration: number; name?: string; label?: string }
export interface Score {
  format?: string;
  version?: number;
  ticksPerQuarter?: number;
  tempo?: { tick: number; bpm: number }[];
  meter?: { pickup?: number; timeSignatures?: { tick: number; numerator: number; denominator: number }[] };
  chords?: Chord[];
  sections?: Section[];
  tracks: Track[];
  [other: string]: unknown;
}

export const DEFAULT_TPQ = 480;

export function ticksPerQuarter(score: Score): number {
  return score.ticksPerQuarter ?? DEFAULT_TPQ;
}

export function endTick(score: Score): number {
  let end = 0;
  for (const track of score.tracks) for (const note of track.notes) end = Math.max(end, note.onset + note.duration);
  return end;
}

/** Where each bar starts, in ticks (bar 1 first; a pickup makes bar 1 short), up to the end of the music. */
export function barStarts(score: Score): number[] {
  const tpq = ticksPerQuarter(score);
  const signatures = [...(score.meter?.timeSignatures ?? [{ tick: 0, numerator: 4, denominator: 4 }])].sort((a, b) => a.tick - b.tick);
  const end = Math.max(endTick(score), 1);
  const pickup = score.meter?.pickup ?? 0;
  const starts: number[] = [0];
  let tick = pickup > 0 ? pickup : 0;
  if (pickup > 0) starts.push(tick);
  const barLength = (at: number) => {
    let signature = signatures[0];
    for (const s of signatures) if (s.tick <= at) signature = s;
    return (signature.numerator * tpq * 4) / signature.denominator;
  };
  while (tick + barLength(tick) < end) {
    tick += barLength(tick);
    starts.push(tick);
  }
  return starts;
}

/** Where each tempo starts, in ticks and in seconds (100 bpm before the first, and where the score has none). */
function tempoSegments(score: Score): { tick: number; seconds: number; bpm: number }[] {
  const tpq = ticksPerQuarter(score);
  const segments = [{ tick: 0, seconds: 0, bpm: 100 }];
  for (const change of [...(score.tempo ?? [])].sort((x, y) => x.tick - y.tick)) {
    const last = segments[segments.length - 1];
    segments.push({ tick: change.tick, seconds: last.seconds + ((change.tick - last.tick) / tpq) * (60 / last.bpm), bpm: change.bpm });
  }
  return segments;
}

/** Seconds at a tick, through the tempo map. */
export function secondsAt(score: Score, tick: number): number {
  const segment = tempoSegments(score).filter((s) => s.tick <= tick).pop()!;
  return segment.seconds + ((tick - segment.tick) / ticksPerQuarter(score)) * (60 / segment.bpm);
}

/** The tick at a time in seconds: the inverse of {@link secondsAt}. */
export function tickAt(score: Score, seconds: number): number {
  const segment = tempoSegments(score).filter((s) => s.seconds <= seconds).pop()!;
  return segment.tick + ((seconds - segment.seconds) * segment.bpm * ticksPerQuarter(score)) / 60;
}

/** The notes of a track that start in bars first..last (1-based, inclusive). */
export function notesInBars(score: Score, track: Track, first: number, last: number): Note[] {
  const starts = barStarts(score);
  const from = starts[first - 1] ?? Infinity;
  const to = starts[last] ?? Infinity;
  return track.notes.filter((n) => n.onset >= from && n.onset < to);
}

/** A bar range as the API takes it ("5-8"); one bar is "5-5". */
export function barRange(first: number, last: number): string {
  return `${Math.min(first, last)}-${Math.max(first, last)}`;
}

/** The sections an answer's form names ("A(1-8) A'(9-16) outro(17-18)"), placed on the score's bars. */
export function formSections(score: Score, form: string | undefined): Section[] {
  const starts = barStarts(score);
  const end = Math.max(endTick(score), starts[starts.length - 1]);
  const sections: Section[] = [];
  for (const [, name, first, last] of (form ?? '').matchAll(/(\S+?)\((\d+)-(\d+)\)/g)) {
    const onset = starts[Number(first) - 1];
    if (onset === undefined) continue;
    sections.push({ name, onset, duration: (starts[Number(last)] ?? end) - onset });
  }
  return sections;
}

/** Chords kept for some bars, as the API's chords field takes them ("1-4: C G Am F"). */
export interface ChordLock { first: number; last: number; spec: string }

/** The locks with one more: a new lock replaces those over any of its bars. */
export function lockChords(locks: ChordLock[], lock: ChordLock): ChordLock[] {
  return [...locks.filter((l) => l.last < lock.first || l.first > lock.last), lock].sort((a, b) => a.first - b.first);
}

/** The chords field for a set of locks (undefined when none). */
export function chordsField(locks: ChordLock[]): string | undefined {
  return locks.length ? locks.map((l) => l.spec).join(' | ') : undefined;
}

/** First and last bar of "A-B" (or "A"). */
export function parseBars(range: string): { first: number; last: number } {
  const [first, last] = range.split('-').map(Number);
  return { first, last: last ?? first };
}
