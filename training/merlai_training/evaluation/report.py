"""Scores `scripts/evaluate`'s outputs with the shared harness and with this package's measures, per validation
part (tune, held), and prints one table.

    python3 -m merlai_training.evaluation [--eval-dir out/eval] [--seeds 1,2] [--classifier-seeds 1]

Reads EVAL/inputs (make_inputs.py's folder) and EVAL/merlai-<set>/seed<S>/<set>/<song>.mid (run.py's), and makes
the shared block-chord baseline under EVAL/inputs/baselines when it is missing."""
import argparse
import os
import subprocess
import sys
import time

from ..common import DEFAULT_DATA, REPO_ROOT, SPLIT_DIR
from . import classifier, config, drums, dynamics, repeats
from .songs import load_song, metrics

SETS = {'pop909': 'pop', 'lieder': 'lied'}   # eval set -> the Merlai style it is arranged in
PARTS = ('tune', 'held')
SHARED_COLUMNS = ['valid_rate', 'pcs', 'mctr', 'chord_acc'] + ['oa_' + f for f in metrics.FEATURES] + ['diversity']
HEADS = (['set', 'part', 'system', 'songs', 'valid', 'pcs', 'mctr', 'chord', 'OA on/beat', 'OA poly', 'OA range',
          'OA pitch', 'OA empty', 'OA pc-ent', 'OA groove', 'div', 'classifier', 'repeat gap', 'repeat sim',
          'consecutive', 'outro', 'velocity spread OA', 'drums OA (min)'])


def read_ids(path):
    with open(path) as f:
        return {line.strip() for line in f if line.strip()}


def song_inputs(inputs_dir, subset):
    folder = os.path.join(inputs_dir, subset)
    return {f[:-len('.mid')]: os.path.join(folder, f) for f in sorted(os.listdir(folder))
            if f.endswith('.mid') and not f.endswith('.ref.mid')}


def reference(input_path):
    return input_path[:-len('.mid')] + '.ref.mid'


class SystemRun:
    """One system's outputs on one set: shared-harness results and Songs, per song id (missing outputs are
    counted invalid by the shared harness and left out of this package's measures)."""

    def __init__(self, inputs, output_of, second_output_of=None):
        self.results, self.songs = {}, {}
        for song, src in inputs.items():
            out = output_of(song)
            self.results[song] = metrics.score_song(src, out)
            if second_output_of:
                other = metrics.score_song(src, second_output_of(song))
                self.results[song]['diversity'] = (metrics.diversity(self.results[song], other)
                                                   if self.results[song]['valid'] and other['valid'] else None)
            if self.results[song]['valid']:
                self.songs[song] = load_song(src, out)


def windows_of(run):
    return {song: classifier.two_bar_windows(classifier.bar_rolls(s)) for song, s in run.songs.items()}


def figures(run, human, part, classified, gmd, with_dynamics):
    """One row's figures for the songs in PART."""
    results = {s: r for s, r in run.results.items() if s in part}
    shared = metrics.aggregate(results, {s: r for s, r in human.results.items() if s in part})
    songs = [s for s in sorted(part) if s in run.songs and s in human.songs]
    repeat = repeats.summarize([repeats.repeat_figures(run.songs[s], human.songs[s]) for s in songs])
    row = {c: shared.get(c) for c in SHARED_COLUMNS}
    row.update(songs=len(results), classifier=classified.accuracy(part) if classified else None, **repeat)
    row['dynamics'] = (dynamics.summarize([run.songs[s] for s in songs], [human.songs[s] for s in songs])
                       if with_dynamics else {})
    row['drums'] = drums.summarize([b for s in songs for b in drums.song_bars(run.songs[s])], gmd) if gmd else None
    return row


def fmt(v):
    return '–' if v is None else '%.3f' % v if isinstance(v, float) else str(v)


def table_row(subset, part, system, row):
    dynamics_text = ', '.join('%s %s' % (track, fmt(f['oa'])) for track, f in row['dynamics'].items()
                              if not track.startswith('human')) or '–'
    drum_oas = [v for k, v in (row['drums'] or {}).items() if k != 'drum_bars' and v is not None]
    cells = ([subset, part, system, row['songs']] + [fmt(row[c]) for c in SHARED_COLUMNS]
             + [fmt(row['classifier']), fmt(row['repeat_gap']),
                '%s / %s' % (fmt(row['repeat_system']), fmt(row['repeat_human'])),
                '%s / %s' % (fmt(row['consecutive_system']), fmt(row['consecutive_human'])),
                '%d / %d of %d' % (row['outro_system'], row['outro_human'], row['songs']),
                dynamics_text, fmt(min(drum_oas)) if drum_oas else '–'])
    return '| ' + ' | '.join(str(c) for c in cells) + ' |'


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--eval-dir', default=os.path.join(REPO_ROOT, 'out', 'eval'))
    ap.add_argument('--seeds', default='1,2', help='the seeds run.py ran; the first two give the diversity')
    ap.add_argument('--classifier-seeds', default='1', help='seeds whose outputs the two-bar classifier is trained '
                    'on (a few minutes per set and seed on 2 cores), beside the human and block rows; empty for none')
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--sets', default=','.join(SETS))
    ap.add_argument('--split-dir', default=SPLIT_DIR, help='holds <set>-validation-tune.txt and -held.txt')
    args = ap.parse_args(argv)
    started = time.monotonic()
    inputs_dir = os.path.join(args.eval_dir, 'inputs')
    baselines_dir = os.path.join(inputs_dir, 'baselines')
    if not os.path.isdir(os.path.join(baselines_dir, 'block')):
        subprocess.run([sys.executable, os.path.join(config.SHARED_EVAL_DIR, 'baselines.py'), inputs_dir], check=True)
    seeds = [s for s in args.seeds.split(',') if s]
    classifier_seeds = [s for s in args.classifier_seeds.split(',') if s]
    lines = ['| ' + ' | '.join(HEADS) + ' |', '|' + '---|' * len(HEADS)]
    notes = []
    for subset in args.sets.split(','):
        style = SETS[subset]
        inputs = song_inputs(inputs_dir, subset)
        parts = {p: read_ids(os.path.join(args.split_dir, '%s-validation-%s.txt' % (subset, p))) & set(inputs)
                 for p in PARTS}
        gmd = (drums.gmd_performances(os.path.join(args.data, 'groove'), config.GMD_STYLES[style])
               if style in config.GMD_STYLES else None)
        human = SystemRun(inputs, lambda s: reference(inputs[s]))
        block = SystemRun(inputs, lambda s: os.path.join(baselines_dir, 'block', subset, s + '.mid'))
        human_windows = windows_of(human) if classifier_seeds else None
        runs = []
        for i, seed in enumerate(seeds):
            folder = os.path.join(args.eval_dir, 'merlai-' + subset)

            def output(seed_name):
                return lambda s: os.path.join(folder, 'seed' + seed_name, subset, s + '.mid')
            second = output(seeds[1 - i]) if len(seeds) > 1 and i < 2 else None
            runs.append(('merlai seed ' + seed, SystemRun(inputs, output(seed), second),
                         seed in classifier_seeds))
        runs += [('human', human, bool(classifier_seeds)), ('block', block, bool(classifier_seeds))]
        for name, run, classify in runs:
            classified = None
            if classify:
                t0 = time.monotonic()
                classified = classifier.cross_validate(windows_of(run), human_windows)
                notes.append('classifier %s %s: folds %s, mean %s (%.0f s)' % (
                    subset, name, ' '.join(fmt(a) for a in classified.fold_accuracy),
                    fmt(sum(classified.fold_accuracy) / len(classified.fold_accuracy)), time.monotonic() - t0))
            for part in PARTS:
                row = figures(run, human, parts[part], classified, gmd, subset in config.DYNAMICS_SETS)
                lines.append(table_row(subset, part, name, row))
                if row['drums'] and row['drums']['drum_bars']:
                    notes.append('drums %s %s %s: %s' % (subset, part, name, ', '.join(
                        '%s %s' % (k, fmt(v)) for k, v in row['drums'].items())))
                if row['dynamics']:
                    notes.append('dynamics %s %s %s: %s' % (subset, part, name, ', '.join(
                        '%s spread %s (log sd between songs %s, within %s)' % (k, fmt(v['spread']), fmt(v['between']), fmt(v['within']))
                        for k, v in row['dynamics'].items())))
    print('\n'.join(lines))
    print()
    print('\n'.join(notes))
    print('\nclassifier: accuracy on songs of held-out folds (0.5 = indistinguishable from the human); repeat gap: '
          'mean |system - human| Jaccard over bar pairs with identical melody; repeat sim, consecutive: system / human; '
          'outro: songs with accompaniment > %s bar after the last melody note, system / human. %.0f s'
          % (config.OUTRO_MIN_BARS, time.monotonic() - started))
