import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api, ApiError, completionOptions, type ChordAlternatives, type Job, type TrackSuggestions } from './api';
import { availableOptions, initialValues, requestFields, type OptionSpec, type OptionValues } from './options';
import { barRange, chordsField, formSections, lockChords, parseBars, type ChordLock, type Score } from './score';
import { Player } from './synth';
import { ErrorText, Panel } from './components/Field';
import { AccountSummary, SignIn, type Account } from './components/SignIn';
import { MelodyInput, type Melody } from './components/MelodyInput';
import { Options } from './components/Options';
import { ArrangementView } from './components/Player';
import type { BarSelection } from './components/PianoRoll';
import { ChordEditor, keptAlternatives } from './components/ChordEditor';
import { Downloads, JobProgress, Suggestions } from './components/Results';
import { Training } from './components/Training';

/** One arrangement the page made: every change is a new job, kept here for undo. */
export interface Version {
  job: string; label: string; arrangement: Score; state: string; error?: string; links?: Job['links']; suggestions?: TrackSuggestions[];
  form?: string; alternatives?: ChordAlternatives[];
  /** The chords kept in this version: every later job sends them (the chords field), so undo takes a lock back too. */
  locks: ChordLock[];
}

const KEY_STORAGE = 'merlai.apiKey';
const POLL_MS = 1000;

export function App({ player = new Player() }: { player?: Player }) {
  const [account, setAccount] = useState<Account | null>(null);
  const [options, setOptions] = useState<OptionSpec[]>(availableOptions(null));
  const [values, setValues] = useState<OptionValues>(initialValues(options));
  const [melody, setMelody] = useState<Melody | null>(null);
  const [versions, setVersions] = useState<Version[]>([]);
  const [current, setCurrent] = useState(-1);
  const [selection, setSelection] = useState<BarSelection | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [model, setModel] = useState<string | null>(null);
  const version = versions[current];

  useEffect(() => {
    completionOptions().then((described) => {
      const offered = availableOptions(described);
      setOptions(offered);
      setValues((v) => ({ ...initialValues(offered), ...v }));
    });
    const key = sessionStorage.getItem(KEY_STORAGE);
    if (key) signInWith(key);
  }, []);

  const signInWith = async (key: string) => {
    try {
      const api = new Api(key);
      const [invoice, usage] = await Promise.all([api.invoice(), api.usage()]);
      setAccount({ api, invoice, usage });
    } catch {
      sessionStorage.removeItem(KEY_STORAGE);
    }
  };
  const signedIn = (next: Account, key: string) => {
    sessionStorage.setItem(KEY_STORAGE, key);
    setAccount(next);
  };
  const signOut = () => {
    sessionStorage.removeItem(KEY_STORAGE);
    player.stop();
    setAccount(null);
    setVersions([]);
    setCurrent(-1);
  };

  // Follow the current job until its results are rendered.
  useEffect(() => {
    if (!account || !version || version.state === 'done' || version.state === 'failed') return;
    const timer = setTimeout(async () => {
      try {
        const job = await account.api.job(version.job);
        let suggestions = version.suggestions;
        if (job.state === 'done' && job.links?.['plugins.json']) {
          suggestions = (await account.api.result<{ tracks: TrackSuggestions[] }>(job.links['plugins.json'])).tracks;
        }
        update(version.job, { state: job.state, error: job.error, links: job.links, suggestions });
        if (job.state === 'done') refreshAccount();
      } catch (failure) {
        setError(failure);
      }
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [account, version]);

  const update = (job: string, change: Partial<Version>) =>
    setVersions((list) => list.map((v) => (v.job === job ? { ...v, ...change } : v)));
  const refreshAccount = async () => {
    if (!account) return;
    const [invoice, usage] = await Promise.all([account.api.invoice(), account.api.usage()]);
    setAccount({ ...account, invoice, usage });
  };

  const complete = async (score: Score, extra: Record<string, unknown>, label: string, locks: ChordLock[] = version?.locks ?? []) => {
    if (!account) return;
    setBusy(label);
    setError(null);
    try {
      const kept = chordsField(locks);
      const fields = { ...requestFields(options, values), ...(model ? { model } : {}), ...(kept ? { chords: kept } : {}), ...extra };
      const answer = await account.api.complete({ score, ...fields });
      const next: Version = {
        job: answer.job, label, arrangement: answer.arrangement, state: 'rendering', form: answer.form, locks,
        alternatives: keptAlternatives(answer.chordAlternatives ?? [], version?.alternatives ?? [], extra.bars as string | undefined),
      };
      setVersions((list) => [...list.slice(0, current + 1), next]);
      setCurrent(current + 1);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  };
  const arrange = () => melody && complete(melody.score, {}, `${melody.name}, seed ${values.seed ?? 1}`, []);
  const nextSeed = () => Number(values.seed ?? 1) + versions.length;
  const regenerate = () => {
    if (!version || !selection) return;
    const seed = nextSeed();
    const bars = barRange(selection.first, selection.last);
    void complete(version.arrangement, { bars, seed }, `bars ${bars}, seed ${seed}`);
  };
  const keepChords = (chords: string) => {
    if (!version || !selection) return;
    const bars = barRange(selection.first, selection.last);
    const { first, last } = parseBars(bars);
    const locks = lockChords(version.locks, { first, last, spec: `${bars}: ${chords}` });
    void complete(version.arrangement, { bars }, `bars ${bars}: ${chords} kept`, locks);
  };
  const tryProgression = (bars: string, chords: string) => {
    if (!version) return;
    const locks = lockChords(version.locks, { ...parseBars(bars), spec: chords });
    void complete(version.arrangement, { bars }, `bars ${bars}: ${chords}`, locks);
  };
  const reharmonize = (bars: string) => {
    if (!version) return;
    const seed = nextSeed();
    const { first, last } = parseBars(bars);
    const locks = version.locks.filter((l) => l.last < first || l.first > last);
    void complete(version.arrangement, { bars, reharmonize: bars, seed }, `bars ${bars} reharmonized, seed ${seed}`, locks);
  };
  const shown = useMemo(() => version && (version.arrangement.sections?.length ? version.arrangement
    : { ...version.arrangement, sections: formSections(version.arrangement, version.form) }), [version]);
  const errorField = error instanceof ApiError ? error.field : undefined;
  const summary = useMemo(() => version && `${version.arrangement.tracks.length} tracks, ${version.arrangement.chords?.length ?? 0} chords`, [version]);

  if (!account) {
    return <main><h1>Merlai Studio</h1><SignIn onSignedIn={signedIn} /></main>;
  }
  return (
    <main>
      <header class="top">
        <h1>Merlai Studio</h1>
        <AccountSummary invoice={account.invoice} usage={account.usage} />
        <button type="button" onClick={signOut}>Sign out</button>
      </header>
      <div class="columns">
        <div class="left">
          <Panel title="1. Your melody" id="melody">
            <MelodyInput onMelody={(m) => { setMelody(m); setError(null); }} />
            {melody && <p data-testid="melody-name">Melody: {melody.name} ({melody.score.tracks.reduce((n, t) => n + t.notes.length, 0)} notes)</p>}
          </Panel>
          <Panel title="2. Choose" id="choose">
            <Options options={options} values={values} onChange={setValues} errorField={errorField} />
            {model && <p>Personal model: {model} <button type="button" onClick={() => setModel(null)}>Use the shipped models</button></p>}
            <button type="button" class="primary" disabled={!melody || busy !== null} onClick={arrange}>Arrange</button>
            {busy && <div role="status" class="job-progress" data-state="completing"><progress aria-label="Job progress" /> completing: {busy}</div>}
            {!version && <ErrorText error={error} id="arrange-error" />}
          </Panel>
          <Panel title="Personal models" id="training">
            <Training api={account.api} onUse={setModel} />
          </Panel>
        </div>
        <div class="right">
          <Panel title="3. See and hear" id="result">
            {!version && <p>Give a melody and press Arrange.</p>}
            {version && (
              <>
                <p class="summary">{version.label}: {summary}</p>
                <JobProgress state={version.state} error={version.error} />
                {version.form && <p class="form" data-testid="form">Form: {version.form}</p>}
                <ArrangementView score={shown!} selection={selection} onSelection={setSelection} player={player} />
              </>
            )}
          </Panel>
          {version && (
            <Panel title="4. Edit" id="edit">
              <p>{selection ? `Bars ${barRange(selection.first, selection.last)} selected.` : 'Select bars in the ruler above (Shift extends).'}</p>
              <button type="button" disabled={!selection || busy !== null} onClick={regenerate}>Regenerate the selected bars</button>
              <ChordEditor selection={selection} alternatives={version.alternatives ?? []} locks={version.locks} disabled={busy !== null}
                onKeep={keepChords} onTry={tryProgression} onReharmonize={reharmonize} />
              <button type="button" disabled={current <= 0} onClick={() => setCurrent(current - 1)}>Undo</button>
              <button type="button" disabled={current >= versions.length - 1} onClick={() => setCurrent(current + 1)}>Redo</button>
              <ErrorText error={error} id="edit-error" />
              <ol class="history" aria-label="History">
                {versions.map((v, i) => (
                  <li aria-current={i === current ? 'step' : undefined}><button type="button" onClick={() => setCurrent(i)}>{v.label}</button></li>
                ))}
              </ol>
            </Panel>
          )}
          {version && (
            <Panel title="5. Take it away" id="export">
              <Downloads job={{ job: version.job, state: version.state as Job['state'], links: version.links }} />
              {version.suggestions && <Suggestions tracks={version.suggestions} />}
            </Panel>
          )}
        </div>
      </div>
    </main>
  );
}
