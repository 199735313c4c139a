import { useEffect, useRef, useState } from 'preact/hooks';
import { Player, audibleTracks } from '../synth';
import { barStarts, type Score } from '../score';
import { PianoRoll, TRACK_COLOURS, playheadX, type BarSelection } from './PianoRoll';

/** The piano roll with its transport: play/stop from the audio clock, mute and solo, loop the selected bars. */
export function ArrangementView({ score, selection, onSelection, player }: {
  score: Score; selection: BarSelection | null; onSelection: (selection: BarSelection | null) => void; player: Player;
}) {
  const [muted, setMuted] = useState<boolean[]>(() => score.tracks.map(() => false));
  const [soloed, setSoloed] = useState<boolean[]>(() => score.tracks.map(() => false));
  const [loop, setLoop] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [clock, setClock] = useState(0);
  const playhead = useRef<SVGLineElement>(null);
  const audible = audibleTracks(muted, soloed);

  useEffect(() => {
    setMuted(score.tracks.map(() => false));
    setSoloed(score.tracks.map(() => false));
  }, [score.tracks.length]);
  useEffect(() => player.setAudible(audible), [audible.join()]);
  useEffect(() => () => player.stop(), []);
  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    const draw = () => {
      const tick = player.position(score);
      if (tick === null) { setPlaying(false); return; }
      const x = playheadX(score, tick);
      playhead.current?.setAttribute('x1', String(x));
      playhead.current?.setAttribute('x2', String(x));
      playhead.current?.setAttribute('data-tick', String(Math.round(tick)));
      setClock(player.clock());
      frame = requestAnimationFrame(draw);
    };
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
  }, [playing, score]);

  const play = async () => {
    const starts = barStarts(score);
    const from = selection ? starts[selection.first - 1] : 0;
    const to = selection && loop ? starts[selection.last] ?? Number.MAX_SAFE_INTEGER : undefined;
    await player.play(score, from, to);
    setPlaying(true);
  };
  const stop = () => { player.stop(); setPlaying(false); };
  const selectBar = (bar: number, extend: boolean) => {
    if (extend && selection) onSelection({ first: Math.min(selection.first, bar), last: Math.max(selection.last, bar) });
    else if (selection && selection.first === bar && selection.last === bar) onSelection(null);
    else onSelection({ first: bar, last: bar });
  };
  const flip = (list: boolean[], i: number) => list.map((v, j) => (j === i ? !v : v));
  return (
    <div class="arrangement">
      <div class="transport" role="toolbar" aria-label="Playback" data-audio-clock={clock.toFixed(3)}>
        <button type="button" onClick={playing ? stop : play}>{playing ? 'Stop' : selection ? 'Play selection' : 'Play'}</button>
        <label class="check"><input type="checkbox" checked={loop} disabled={!selection} onChange={(e) => setLoop((e.target as HTMLInputElement).checked)} />Loop the selected bars</label>
        <span class="clock" aria-live="off">audio {clock.toFixed(1)} s</span>
      </div>
      <ul class="tracks" aria-label="Tracks">
        {score.tracks.map((track, i) => (
          <li style={{ borderColor: TRACK_COLOURS[i % TRACK_COLOURS.length] }}>
            <span>{track.name}{track.role ? ` (${track.role})` : ''}</span>
            <button type="button" aria-pressed={muted[i]} aria-label={`Mute ${track.name}`} onClick={() => setMuted(flip(muted, i))}>M</button>
            <button type="button" aria-pressed={soloed[i]} aria-label={`Solo ${track.name}`} onClick={() => setSoloed(flip(soloed, i))}>S</button>
          </li>
        ))}
      </ul>
      <PianoRoll score={score} selection={selection} onSelectBar={selectBar} audible={audible} playheadRef={playhead} />
    </div>
  );
}
