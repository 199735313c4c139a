import { sameOrigin, type Job, type TrackSuggestions } from '../api';

const DOWNLOADS: [file: string, label: string][] = [
  ['arrangement.mid', 'MIDI'],
  ['arrangement.musicxml', 'MusicXML'],
  ['preview.wav', 'WAV preview'],
  ['arrangement.json', 'Merlai JSON'],
];

/** Links to the job's results, through this origin. */
export function Downloads({ job }: { job: Job }) {
  const links = job.links ?? {};
  const present = DOWNLOADS.filter(([file]) => links[file]);
  if (!present.length) return null;
  return (
    <nav class="downloads" aria-label="Downloads">
      {present.map(([file, label]) => <a href={sameOrigin(links[file])} download={file} data-file={file}>Download {label}</a>)}
    </nav>
  );
}

/** The instrument suggestions per track, with the reasons. */
export function Suggestions({ tracks }: { tracks: TrackSuggestions[] }) {
  return (
    <div class="suggestions">
      {tracks.map((track) => (
        <details>
          <summary>{track.name} ({track.role}): {track.recommendations[0]?.name ?? 'no suggestion'}</summary>
          <ol>
            {track.recommendations.map((r) => (
              <li><strong>{r.name}</strong>{r.vendor ? ` by ${r.vendor}` : ''}{r.preset ? `, preset ${r.preset}` : ''}
                <ul>{(r.reasons ?? []).map((reason) => <li>{reason}</li>)}</ul></li>
            ))}
          </ol>
        </details>
      ))}
    </div>
  );
}

const STEPS = ['queued', 'completing', 'rendering', 'done'] as const;

/** Where the job is: queued, completing, rendering, done (or failed, with the reason). */
export function JobProgress({ state, error }: { state: string; error?: string }) {
  const index = Math.max(0, STEPS.indexOf(state as (typeof STEPS)[number]));
  return (
    <div class="job-progress" role="status" data-state={state}>
      <progress max={STEPS.length - 1} value={state === 'failed' ? 0 : index} aria-label="Job progress" />
      <span>{state === 'failed' ? `failed: ${error}` : state}</span>
    </div>
  );
}
