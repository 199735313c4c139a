import { useEffect, useState } from 'preact/hooks';
import type { Api, Training as TrainingJob } from '../api';
import { ErrorText } from './Field';

/** Personal models: put pieces in a training set, start training, follow it, use the model. */
export function Training({ api, onUse }: { api: Api; onUse: (model: string) => void }) {
  const [set, setSet] = useState('my-songs');
  const [style, setStyle] = useState('pop');
  const [quick, setQuick] = useState(true);
  const [pieces, setPieces] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [job, setJob] = useState<TrainingJob | null>(null);
  const [models, setModels] = useState<TrainingJob[]>([]);
  useEffect(() => { api.models().then((m) => setModels(m.models)).catch(setError); }, [job?.state]);
  useEffect(() => {
    if (!job || ['done', 'failed', 'cancelled'].includes(job.state)) return;
    const timer = setTimeout(() => api.training(job.model).then(setJob).catch(setError), 2000);
    return () => clearTimeout(timer);
  }, [job]);
  const upload = async (files: FileList | null) => {
    setError(null);
    for (const file of Array.from(files ?? [])) {
      try {
        const answer = await api.addPiece(set, file);
        setPieces((list) => [...list, `${file.name}: ${answer.bars ?? '?'} bars`]);
      } catch (failure) {
        setError(failure);
      }
    }
  };
  const start = async () => {
    setError(null);
    try { setJob(await api.train(set, style, quick)); } catch (failure) { setError(failure); }
  };
  const progress = job?.progress;
  return (
    <div class="training">
      <label for="training-set">Training set<input id="training-set" value={set} onInput={(e) => setSet((e.target as HTMLInputElement).value)} /></label>
      <label for="training-files">Add pieces (melody with accompaniment: .mid, .mxl, .musicxml, .json)
        <input id="training-files" type="file" multiple accept=".mid,.midi,.mxl,.musicxml,.xml,.json" onChange={(e) => void upload((e.target as HTMLInputElement).files)} /></label>
      {pieces.length > 0 && <ul aria-label="Pieces in the set">{pieces.map((p) => <li>{p}</li>)}</ul>}
      <label for="training-style">Style<select id="training-style" value={style} onChange={(e) => setStyle((e.target as HTMLSelectElement).value)}>
        <option value="pop">pop</option><option value="lied">lied</option></select></label>
      <label class="check"><input type="checkbox" checked={quick} onChange={(e) => setQuick((e.target as HTMLInputElement).checked)} />Quick (a few steps, to try it)</label>
      <button type="button" onClick={start}>Start training</button>
      <ErrorText error={error} />
      {job && (
        <div role="status" class="training-job">
          <span>{job.model}: {job.state}{job.error ? ` (${job.error})` : ''}</span>
          <progress max={1} value={job.state === 'done' ? 1 : progress?.fraction ?? 0} aria-label="Training progress" />
          {progress?.remainingSeconds !== undefined && job.state === 'training' && <span>about {Math.ceil(progress.remainingSeconds / 60)} min left</span>}
        </div>
      )}
      {models.filter((m) => m.state === 'done').length > 0 && (
        <ul aria-label="Your models">
          {models.filter((m) => m.state === 'done').map((m) => (
            <li>{m.model} ({m.style}, set {m.set}) <button type="button" onClick={() => onUse(m.model)}>Use it</button></li>
          ))}
        </ul>
      )}
    </div>
  );
}
