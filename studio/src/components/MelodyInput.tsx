import { useEffect, useRef, useState } from 'preact/hooks';
import exampleUrl from '../../../examples/ode-to-joy.json?url';
import { midiToScore } from '../midi';
import { musicXmlToScore, unzipMxl } from '../musicxml';
import type { Score } from '../score';
import { ErrorText } from './Field';

export interface Melody { name: string; score: Score }

/** Reads a dropped or picked file: Merlai JSON as it is, MIDI and MusicXML read here (the API takes scores inline). */
export async function readMelodyFile(file: File): Promise<Melody> {
  const name = file.name.toLowerCase();
  if (name.endsWith('.json')) {
    const score = JSON.parse(await file.text()) as Score;
    if (!Array.isArray(score.tracks)) throw new Error(`${file.name} is no Merlai score: it has no "tracks"`);
    return { name: file.name, score };
  }
  if (name.endsWith('.mid') || name.endsWith('.midi')) {
    return { name: file.name, score: midiToScore(new Uint8Array(await file.arrayBuffer())) };
  }
  if (name.endsWith('.mxl')) {
    return { name: file.name, score: musicXmlToScore(await unzipMxl(new Uint8Array(await file.arrayBuffer()))) };
  }
  if (name.endsWith('.musicxml') || name.endsWith('.xml')) {
    return { name: file.name, score: musicXmlToScore(await file.text()) };
  }
  throw new Error(`${file.name}: the Studio reads .json, .mid, .midi, .mxl, .musicxml and .xml files`);
}

export function MelodyInput({ onMelody }: { onMelody: (melody: Melody) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [dragging, setDragging] = useState(false);
  const take = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    try {
      onMelody(await readMelodyFile(file));
    } catch (failure) {
      setError(failure);
    }
  };
  const example = async () => {
    setError(null);
    try {
      const response = await fetch(exampleUrl);
      onMelody({ name: 'ode-to-joy.json', score: await response.json() });
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <div class="melody-input">
      <div class={`drop${dragging ? ' dragging' : ''}`} onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => { e.preventDefault(); setDragging(false); void take(e.dataTransfer?.files[0]); }}>
        <label for="melody-file">Drop a melody here or pick a file (.json, .mid, .mxl, .musicxml)</label>
        <input id="melody-file" type="file" accept=".json,.mid,.midi,.mxl,.musicxml,.xml" aria-describedby={error ? 'melody-error' : undefined}
          onChange={(e) => void take((e.target as HTMLInputElement).files?.[0])} />
      </div>
      <button type="button" onClick={example}>Use the example (Ode to Joy)</button>
      <KeyboardRecorder onMelody={onMelody} />
      <ErrorText error={error} id="melody-error" />
    </div>
  );
}

const KEYS = 'awsedftgyhujk';
const BPM = 100;
const TPQ = 480;

/** Plays in a melody on the computer keyboard (a w s e d f t g y h u j k = C4..C5) or a MIDI keyboard, with a metronome. */
export function KeyboardRecorder({ onMelody }: { onMelody: (melody: Melody) => void }) {
  const [recording, setRecording] = useState(false);
  const [count, setCount] = useState(0);
  const started = useRef(0);
  const held = useRef(new Map<number, number>());
  const notes = useRef<Score['tracks'][0]['notes']>([]);
  const audio = useRef<AudioContext | null>(null);
  useEffect(() => {
    if (!recording) return;
    const context = (audio.current ??= new AudioContext());
    started.current = performance.now();
    const beat = 60_000 / BPM;
    const click = () => {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.frequency.value = 1000;
      gain.gain.setValueAtTime(0.2, context.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, context.currentTime + 0.05);
      osc.connect(gain).connect(context.destination);
      osc.start();
      osc.stop(context.currentTime + 0.06);
    };
    click();
    const metronome = setInterval(click, beat);
    const tick = () => Math.round(((performance.now() - started.current) / beat) * TPQ / 120) * 120;
    const down = (pitch: number) => { if (!held.current.has(pitch)) held.current.set(pitch, tick()); };
    const up = (pitch: number) => {
      const onset = held.current.get(pitch);
      if (onset === undefined) return;
      held.current.delete(pitch);
      notes.current.push({ pitch, onset, duration: Math.max(120, tick() - onset), velocity: 90 });
      setCount(notes.current.length);
    };
    const keyPitch = (e: KeyboardEvent) => { const i = KEYS.indexOf(e.key.toLowerCase()); return i < 0 || e.repeat ? -1 : 60 + i; };
    const onKeyDown = (e: KeyboardEvent) => { const p = keyPitch(e); if (p >= 0) { e.preventDefault(); down(p); } };
    const onKeyUp = (e: KeyboardEvent) => { const p = KEYS.indexOf(e.key.toLowerCase()); if (p >= 0) up(60 + p); };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    let midiInputs: MIDIInput[] = [];
    const onMidi = (e: MIDIMessageEvent) => {
      const [status, pitch, velocity] = e.data ?? [];
      if ((status & 0xf0) === 0x90 && velocity > 0) down(pitch);
      else if ((status & 0xf0) === 0x80 || (status & 0xf0) === 0x90) up(pitch);
    };
    navigator.requestMIDIAccess?.().then((access) => {
      midiInputs = [...access.inputs.values()];
      midiInputs.forEach((input) => input.addEventListener('midimessage', onMidi));
    }).catch(() => { /* no MIDI keyboard allowed: the computer keyboard still plays */ });
    return () => {
      clearInterval(metronome);
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      midiInputs.forEach((input) => input.removeEventListener('midimessage', onMidi));
    };
  }, [recording]);
  const toggle = () => {
    if (!recording) {
      notes.current = [];
      held.current.clear();
      setCount(0);
      setRecording(true);
      return;
    }
    setRecording(false);
    if (notes.current.length) {
      onMelody({ name: 'played in', score: {
        format: 'merlai.score', version: 1, ticksPerQuarter: TPQ, tempo: [{ tick: 0, bpm: BPM }],
        meter: { pickup: 0, timeSignatures: [{ tick: 0, numerator: 4, denominator: 4 }] },
        tracks: [{ name: 'MELODY', role: 'melody', program: 0, channel: 0, notes: [...notes.current].sort((a, b) => a.onset - b.onset) }],
      } });
    }
  };
  return (
    <div class="recorder">
      <button type="button" aria-pressed={recording} onClick={toggle}>{recording ? 'Stop and use what I played' : 'Play it in (keyboard or MIDI)'}</button>
      {recording && <span role="status">Recording at {BPM} bpm: keys A W S E D F T G Y H U J K play C to C. {count} notes.</span>}
    </div>
  );
}
