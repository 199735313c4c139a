"""Does personalisation move the music towards the composer? Base vs fine-tuned models on one
POP909 artist and one Lieder composer, scored with ../shared/eval on their held-out songs.

    python3 -m merlai_training.personal_bench --out /tmp/merlai-personal [--seeds 1,2,3]

Composers (rules fixed before any result was seen):
- POP909: the artist with the most songs in index.tsv (周杰伦, Jay Chou: 22 songs).
- Lieder: the composer whose number of available voice + piano scores is closest to 25 (so that
  80% is about 20 pieces; ties by name): Bizet, Georges (24).
Split per composer: 20% of the songs (rounded) for evaluation, the rest for fine-tuning. Songs on
the base model's validation lists (training/split/) go to evaluation first, because the base model
never saw them; the rest by SHA-1 of the id.

Both models arrange the held-out melodies through the product: `bin/merlai complete --models DIR` (the Java
arranger, its downbeat inference and sampling). Figures: mean texture overlapped area (the 7 OA features of the eval, mean over seeds) and the
chord-vocabulary distance: Jensen-Shannon divergence (base 2, 0 = identical) between the
histogram of chord qualities (N, maj, min, 7, maj7, min7, sus2, sus4, dim, aug; one count per
beat) in the outputs and in the composer's own accompaniment of the same songs (POP909: the
annotated chords; Lieder: chords template-matched on the piano part, as in training).
"""
import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
import time

import numpy as np

from . import data as song_data
from .common import CACHE_DIR, DEFAULT_DATA, MODELS_DIR, REPO_ROOT, SPLIT_DIR, load_pickle
from .finetune import finetune

QUALITIES = ['N'] + song_data.QUALITY_NAMES
OA_FEATURES = ['onsets_per_beat', 'polyphony', 'pitch_range', 'mean_pitch', 'empty', 'pc_entropy', 'groove']


def composer_songs(data_dir):
    with open(os.path.join(data_dir, 'pop909', 'index.tsv')) as f:
        pop = [r['song_id'] for r in csv.DictReader(f, delimiter='\t') if r['artist'] == '周杰伦']
    with open(os.path.join(data_dir, 'openscore-lieder', 'index.tsv')) as f:
        lied = ['lc' + r['musescore_id'] for r in csv.DictReader(f, delimiter='\t')
                if r['composer'] == 'Bizet,_Georges']
    return {'pop909': ('pop', 'Jay Chou (周杰伦)', pop), 'lieder': ('lied', 'Georges Bizet', lied)}


def smoke_corpus(data_dir, ids, count=4):
    """The first `count` of the composer's POP909 songs, prepared here instead of read from the corpus cache, so that
    the smoke run needs no `prepare` of the whole corpus."""
    meter = song_data.read_pop909_index(os.path.join(data_dir, 'pop909'))
    songs = [song_data.prepare_pop909_song(os.path.join(data_dir, 'pop909', i), meter.get(i)) for i in ids[:count]]
    return {s['id']: s for s in songs}


def split(ids):
    held = set()
    for name in ('pop909-validation.txt', 'lieder-validation.txt'):
        held |= set(open(os.path.join(SPLIT_DIR, name)).read().split())
    ranked = sorted(ids, key=lambda i: (i not in held, hashlib.sha1(('merlai-personal:' + i).encode()).hexdigest()))
    n = int(round(0.2 * len(ids)))
    return sorted(ranked[n:]), sorted(ranked[:n])


def chord_hist_reference(song):
    bars = song_data.melody_bars(song)
    beats = [t for t in range(0, song['T'], 4) if song['bar_index'][t] in bars]
    return quality_hist(int(song['chord'][t]) for t in beats)


def quality_hist(indices):
    h = np.zeros(len(QUALITIES))
    for i in indices:
        h[0 if i == 0 else 1 + song_data.QUALITY_NAMES.index(song_data.chord_root_quality(i)[1])] += 1
    return h


def chord_hist_output(path):
    """One count per quarter note of the CHORDS labels of an output MIDI file."""
    import mido
    mf = mido.MidiFile(path)
    labels, end = [], 0
    for tr in mf.tracks:
        tick = 0
        for msg in tr:
            tick += msg.time
            if tr.name.strip().upper() == 'CHORDS' and msg.type in ('marker', 'text', 'cue_marker'):
                labels.append((tick, msg.text))
        end = max(end, tick)
    labels.sort()
    counts = []
    for (t, lab), nxt in zip(labels, [x[0] for x in labels[1:]] + [end]):
        counts += [song_data.parse_harte(lab)[0]] * max(1, int(round((nxt - t) / mf.ticks_per_beat)))
    return quality_hist(counts)


def js_divergence(p, q):
    p, q = p / max(p.sum(), 1e-9), q / max(q.sum(), 1e-9)
    m = (p + q) / 2

    def kl(a, b):
        nz = a > 0
        return float((a[nz] * np.log2(a[nz] / b[nz])).sum())

    return 0.5 * kl(p, m) + 0.5 * kl(q, m)


def complete_dir(inputs, sys_dir, models_dir, style, seed):
    """Arrange every input melody with the product itself: `bin/merlai complete` (the Java arranger) on the models."""
    merlai = os.path.join(REPO_ROOT, 'bin', 'merlai')
    for subset in os.listdir(inputs):
        os.makedirs(os.path.join(sys_dir, subset), exist_ok=True)
        for name in sorted(os.listdir(os.path.join(inputs, subset))):
            if name.endswith('.mid') and not name.endswith('.ref.mid'):
                subprocess.run([merlai, 'complete', os.path.join(inputs, subset, name), '-o', os.path.join(sys_dir, subset, name),
                                '--seed', str(seed), '--style', style, '--models', models_dir], check=True, stdout=subprocess.DEVNULL)


def evaluate(eval_dir, inputs, models_dir, out, subset, style, seeds, reference_hist):
    oas, hist = [], np.zeros(len(QUALITIES))
    for seed in seeds:
        sys_dir = os.path.join(out, 'seed%d' % seed)
        complete_dir(inputs, sys_dir, models_dir, style, seed)
        subprocess.run([sys.executable, os.path.join(eval_dir, 'run.py'), '--inputs', inputs,
                        '--system-dir', sys_dir], check=True, stdout=subprocess.DEVNULL)
        agg = json.load(open(os.path.join(sys_dir, 'summary.json')))['sets'][subset]
        oas.append({f: agg['oa_' + f] for f in OA_FEATURES})
        for name in os.listdir(os.path.join(sys_dir, subset)):
            hist += chord_hist_output(os.path.join(sys_dir, subset, name))
    oa = {f: round(float(np.mean([o[f] for o in oas])), 4) for f in OA_FEATURES}
    return {'texture_oa_mean': round(float(np.mean(list(oa.values()))), 4), 'oa': oa,
            'chord_js': round(js_divergence(hist, reference_hist), 4),
            'chord_hist': dict(zip(QUALITIES, (hist / hist.sum()).round(3).tolist()))}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default='/tmp/merlai-personal')
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--eval', default=os.path.join(os.path.dirname(DEFAULT_DATA), 'eval'),
                    help='the evaluation harness (default: next to the data folder)')
    ap.add_argument('--seeds', default='1,2,3')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--reuse-models', action='store_true', help='score the models an earlier run fine-tuned in OUT')
    ap.add_argument('--smoke', action='store_true',
                    help='a check that the benchmark runs: 4 of Jay Chou\'s songs, the quick fine-tuning, one seed')
    args = ap.parse_args(argv)
    seeds = [1] if args.smoke else [int(s) for s in args.seeds.split(',')]
    composers = composer_songs(args.data)
    if args.smoke:
        composers = {'pop909': composers['pop909']}
        corpus = smoke_corpus(args.data, composers['pop909'][2])
    else:
        corpus = {s['id']: s for s in load_pickle(os.path.join(CACHE_DIR, 'songs-all.pkl'))}
    report = {'machine': {'cpus': os.cpu_count(), 'load_before': os.getloadavg()}}
    for subset, (style, name, ids) in composers.items():
        ids = [i for i in ids if i in corpus]
        train_ids, eval_ids = split(ids)
        out = os.path.join(args.out, subset)
        inputs = os.path.join(out, 'inputs')
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, 'eval-ids.txt'), 'w') as f:
            f.write('\n'.join(eval_ids) + '\n')
        subprocess.run([sys.executable, os.path.join(args.eval, 'make_inputs.py'), inputs, '--data', args.data,
                        '--only', os.path.join(out, 'eval-ids.txt')], check=True, stdout=subprocess.DEVNULL)
        t0 = time.time()
        load0 = os.getloadavg()[0]
        if not args.reuse_models:
            finetune([corpus[i] for i in train_ids], os.path.join(out, 'model'), style, threads=args.threads,
                     model_id='bench-' + subset, size='quick' if args.smoke else 'full')
        seconds = time.time() - t0
        ref = sum(chord_hist_reference(corpus[i]) for i in eval_ids)
        res = {'composer': name, 'train': train_ids, 'eval': eval_ids, 'finetune_seconds': None if args.reuse_models else round(seconds, 1),
               'load_1min_start_end': [round(load0, 2), round(os.getloadavg()[0], 2)],
               'own_chord_hist': dict(zip(QUALITIES, (ref / ref.sum()).round(3).tolist()))}
        for label, models in (('base', MODELS_DIR), ('personal', os.path.join(out, 'model'))):
            res[label] = evaluate(args.eval, inputs, models, os.path.join(out, label), subset, style, seeds, ref)
        report[subset] = res
        print(json.dumps({subset: {k: res[k] for k in ('composer', 'finetune_seconds')},
                          'base': {k: res['base'][k] for k in ('texture_oa_mean', 'chord_js')},
                          'personal': {k: res['personal'][k] for k in ('texture_oa_mean', 'chord_js')}}), flush=True)
    with open(os.path.join(args.out, 'report.json'), 'w') as f:
        json.dump(report, f, indent=1, ensure_ascii=False)
    print('report: %s' % os.path.join(args.out, 'report.json'))


if __name__ == '__main__':
    main()
