"""Personalisation: fine-tune the shipped models on one composer's own pieces.

The base weights come from the shipped ONNX files (the only bridge between training and
serving), so a training Job needs nothing but the ONNX models and the composer's pieces.
The pieces are Merlai score JSON files (what the music module writes after it has parsed and
validated an upload); the corpus benchmark may pass prepared songs instead.

Progress goes to stdout as one JSON object per line (`{"event": "progress", ...}`, with `step` of `steps` of the
model being trained and `fraction`, the share of the whole run done), so the function that started the process can
relay it without parsing prose.
"""
import hashlib
import json
import os
import shutil
import time

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from . import data as song_data
from . import batches
from .chord_decoding import decode
from .common import MODELS_DIR
from .config import FINETUNING, GRADIENT_CLIP_NORM, MIN_RELATIVE_IMPROVEMENT, WEIGHT_DECAY
from .export import export_model, metadata
from .models import CHORD_INPUTS, SIZES, TEXTURE_INPUTS, from_config, n_params
from .losses import chord_loss, learning_rate_at, texture_loss, to_torch
from .metrics import beat_log_probs, chord_accuracy
from .songs import default_density

KINDS = ('chords', 'texture')
ONNX_NAMES = {'chords': 'merlai-chords', 'texture': 'merlai-texture'}
STYLES = {'pop': 0, 'lied': 1}
ACCOMPANIMENT_ROLES = {'piano': 0, 'chords': 0, 'bass': 0, 'other': 0, 'counter-melody': 1}



def emit(event, **fields):
    print(json.dumps(dict(event=event, **fields)), flush=True)


# ------------------------------------------------------------------ base weights from ONNX

def base_architecture(kind, metadata):
    """The size settings a shipped model was built with: its metadata's `architecture` (models from 1.2.0 on),
    else the full size of that time."""
    return metadata.get('architecture') or SIZES[kind]['full']


def base_from_onnx(kind, path, architecture):
    """Rebuild the torch model of `kind` with these `architecture` settings (base_architecture) from the
    initializers of a shipped ONNX file. Most parameters keep their names in the export; Linear weights become
    transposed MatMul initializers and GRU layers become ONNX GRU nodes (gate order z,r,h instead of r,z,n)."""
    m = onnx.load(path)
    inits = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    model = from_config(kind, architecture)
    state = model.state_dict()
    used = set()
    for name, t in state.items():
        if name in inits:
            state[name] = torch.from_numpy(inits[name].copy())
            used.add(name)
    # weights of the same shape are told apart by order: the graph uses them in the order the model registers them
    matmuls = [n.input[1] for n in m.graph.node if n.op_type == 'MatMul' and n.input[1] in inits]
    for name, t in state.items():
        if name in used or name.startswith('gru.'):
            continue
        cands = [n for n in matmuls if n not in used and inits[n].T.shape == tuple(t.shape)]
        if not cands:
            raise ValueError('%s: cannot map %s %s' % (path, name, tuple(t.shape)))
        state[name] = torch.from_numpy(inits[cands[0]].T.copy())
        used.update((name, cands[0]))
    grus = [n for n in m.graph.node if n.op_type == 'GRU']
    for layer, node in enumerate(grus):
        W, R, B = (inits[node.input[i]] for i in (1, 2, 3))
        H = R.shape[-1]

        def torch_order(x):   # z,r,h -> r,z,n along the first axis
            return np.concatenate([x[H:2 * H], x[:H], x[2 * H:3 * H]])

        for d, suffix in enumerate(('', '_reverse')):
            state['gru.weight_ih_l%d%s' % (layer, suffix)] = torch.from_numpy(torch_order(W[d]))
            state['gru.weight_hh_l%d%s' % (layer, suffix)] = torch.from_numpy(torch_order(R[d]))
            state['gru.bias_ih_l%d%s' % (layer, suffix)] = torch.from_numpy(torch_order(B[d][:3 * H]))
            state['gru.bias_hh_l%d%s' % (layer, suffix)] = torch.from_numpy(torch_order(B[d][3 * H:]))
    model.load_state_dict(state)
    return model


# ------------------------------------------------------------------ the composer's pieces

def read_score_json(path, style):
    """A Merlai score JSON file -> a prepared song (16th grid, bars from the meter map, melody
    from the melody track(s), accompaniment from the other pitched tracks, chords from the
    score's labels or, without labels, template-matched on the accompaniment)."""
    with open(path) as f:
        score = json.load(f)
    tpq = score.get('ticksPerQuarter', 480)

    def step(tick):
        return int(round(tick * 4 / tpq))

    mel, acc = [], []
    for track in score['tracks']:
        role = track.get('role', 'other')
        for n in track.get('notes', []):
            s, e = step(n['onset']), step(n['onset'] + n['duration'])
            if role == 'melody':
                mel.append((s, max(e, s + 1), n['pitch']))
            elif role in ACCOMPANIMENT_ROLES:
                acc.append((s, max(e, s + 1), n['pitch'], ACCOMPANIMENT_ROLES[role]))
    if not mel or not acc:
        raise ValueError('%s: needs a melody track and accompaniment' % os.path.basename(path))
    end = max(e for _s, e, *_ in mel + acc)
    bar_starts = bar_lines(score.get('meter', {}), tpq, end)
    T = bar_starts[-1]
    beat_starts = []
    for a, b in zip(bar_starts, bar_starts[1:]):
        beat_starts += list(range(a, b, 4))
    beat_starts.append(T)
    if score.get('chords'):
        chord = np.zeros(T, np.int16)
        bass = np.full(T, 12, np.int8)
        for c in score['chords']:
            idx, b = song_data.parse_harte(c['label'])
            s, e = step(c['onset']), step(c['onset'] + c['duration'])
            chord[s:e] = idx
            bass[s:e] = b if idx else 12
    else:
        chord, bass = song_data.template_chords(T, [n for n in acc if n[0] < T], beat_starts)
    song_id = os.path.splitext(os.path.basename(path))[0]
    return song_data._finish(song_id, STYLES[style], T, mel, acc, bar_starts, chord, bass)


def bar_lines(meter, tpq, end_step):
    """Bar line steps from a score's meter map (pickup + time signatures), up to and past
    end_step. Before the first time signature the meter is 4/4."""
    sigs = sorted((int(round(t['tick'] * 4 / tpq)), t['numerator'] * 16 // t['denominator'])
                  for t in meter.get('timeSignatures', []))
    pickup = int(round(meter.get('pickup', 0) * 4 / tpq))
    bars = [0]
    pos = pickup if pickup else 0
    if pickup:
        bars.append(pickup)
    while pos < end_step:
        length = 16
        for at, steps in sigs:
            if at <= pos:
                length = max(1, steps)
        pos += length
        bars.append(pos)
    return bars


def split_holdout(songs, share=0.15):
    """Song-level hold-out for validation inside the composer's set (at least one song when
    there are three or more), chosen by a hash of the song id so a re-run splits alike."""
    if len(songs) < 3:
        return songs, songs
    ranked = sorted(songs, key=lambda s: hashlib.sha1(('merlai-ft:' + s['id']).encode()).hexdigest())
    n = max(1, int(round(len(songs) * share)))
    return ranked[n:], ranked[:n]


# ------------------------------------------------------------------ chord vocabulary

def quality_of():
    """Vocabulary index -> quality index (0 = N, 1 + position in QUALITY_NAMES)."""
    return np.array([0] + [1 + song_data.QUALITY_NAMES.index(song_data.chord_root_quality(i)[1]) for i in range(1, song_data.V)])


def calibrate_chord_vocabulary(model, songs, iterations=300, step=0.3, limit=4.0):
    """Decoding (chord_decoding.decode, as Java does) favours the commonest qualities (maj, min) far beyond their
    share. This fits one bias per chord quality (N, maj, min, 7, ...; shared by all roots, relative to maj) so that
    decoding the composer's own pieces gives their own mix of qualities, and folds it into the model's output bias. The fit is a damped
    fixed-point iteration on the decoded shares; the biases with the closest mix are kept. Returns them."""
    model.eval()
    q = quality_of()
    pairs = [beat_log_probs(model, s) for s in songs]
    lp = np.concatenate([p[0] for p in pairs])
    target = np.bincount(q[np.concatenate([p[1] for p in pairs])], minlength=q.max() + 1) / max(len(lp), 1)
    bias = np.zeros(q.max() + 1)
    best = (np.inf, bias)
    for i in range(iterations):
        decoded = np.bincount(q[decode(lp + bias[q])], minlength=len(bias)) / max(len(lp), 1)
        error = np.abs(decoded - target).sum()
        if error < best[0]:
            best = (error, bias.copy())
        bias = bias + step / (1 + i / 30) * (np.log(target + 1e-3) - np.log(decoded + 1e-3))
        bias = np.clip(bias - bias[1], -limit, limit)      # relative to maj: only differences change the argmax
    bias = best[1]
    with torch.no_grad():
        # the per-step and per-beat outputs are summed into the logits: one bias on the beat output shifts both alike
        model.out.bias += torch.from_numpy(bias[q]).float()
    return dict(zip(['N'] + song_data.QUALITY_NAMES, np.round(bias, 3).tolist()))


def sounding_cap(songs, base_cap, floor):
    """How many piano notes a personal model may sound together: the composer's 90th percentile over the steps where
    any sound (Bizet's songs: 5; the base lied setting has no bound and stacked more than he does). Only ever tightens
    the base style's bound (0 = none), and never below its floor (min_sounding) or 1."""
    counts = []
    for s in songs:
        sounding = np.zeros(s['T'], np.int64)
        for start, end, _pitch, role in s['notes']:
            if role == 0:
                sounding[start:end] += 1
        counts.append(sounding[sounding > 0])
    counts = np.concatenate(counts) if counts else np.zeros(0)
    if not len(counts):
        return base_cap
    cap = max(int(np.percentile(counts, 90)), floor, 1)
    return cap if base_cap == 0 else min(base_cap, cap)


# ------------------------------------------------------------------ fine-tuning

def finetune_model(kind, model, train_songs, val_songs, size, threads, seed, part=(0, 1)):
    """`part`: (this model's index, how many are trained), so each progress line says how far the whole run is."""
    cfg = FINETUNING[size][kind]
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    dens = {s['id']: song_data.bar_density(s)[0] for s in train_songs + val_songs}
    total_steps = sum(s['T'] for s in train_songs)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg['learning_rate'], weight_decay=WEIGHT_DECAY)

    def item(s, r, augment=True):
        if kind == 'chords':
            return batches.chord_item(s, cfg['window_steps'], r, augment=augment)
        return batches.texture_item(s, cfg['window_steps'], r, augment=augment, density=dens[s['id']])

    def loss_of(b):
        if kind == 'chords':
            return chord_loss(model(*to_torch(b, CHORD_INPUTS)), b['chord'], b['valid'])
        return texture_loss(model(*to_torch(b, TEXTURE_INPUTS)), b)

    @torch.no_grad()
    def validate():
        model.eval()
        r = np.random.default_rng(4321)      # the same windows and masks at every check
        losses = [float(loss_of(batches.collate([item(s, r, augment=False) for s in val_songs])))
                  for _ in range(3)]
        res = {'val_loss': round(float(np.mean(losses)), 4)}
        if kind == 'chords':
            res['val_chord_acc'] = round(chord_accuracy(model, val_songs), 4)
        model.train()
        return res

    def fraction(step):
        return round((part[0] + step / cfg['optimizer_steps']) / part[1], 3)

    best = dict(validate(), step=0)
    emit('progress', model=kind, step=0, steps=cfg['optimizer_steps'], fraction=fraction(0), epoch=0.0, loss=None,
         **{k: v for k, v in best.items() if k != 'step'})
    best_state = {k: v.clone() for k, v in model.state_dict().items()}
    model.train()
    run = []
    for step in range(1, cfg['optimizer_steps'] + 1):
        for g in opt.param_groups:
            g['lr'] = learning_rate_at(step / cfg['optimizer_steps'], cfg['learning_rate'])
        group = [train_songs[int(rng.integers(len(train_songs)))] for _ in range(cfg['batch_songs'])]
        loss = loss_of(batches.collate([item(s, rng) for s in group]))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), GRADIENT_CLIP_NORM)
        opt.step()
        run.append(float(loss))
        if step % FINETUNING[size]['eval_every_steps'] == 0 or step == cfg['optimizer_steps']:
            res = validate()
            epoch = step * cfg['batch_songs'] * cfg['window_steps'] / max(total_steps, 1)
            emit('progress', model=kind, step=step, steps=cfg['optimizer_steps'], fraction=fraction(step), epoch=round(epoch, 2),
                 loss=round(float(np.mean(run)), 4), **res)
            run = []
            if res['val_loss'] < best['val_loss'] * (1 - MIN_RELATIVE_IMPROVEMENT):
                best = dict(res, step=step)
                best_state = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)      # early stopping on the composer's held-out songs
    model.eval()
    return best


def finetune(songs, out_dir, style, base_dir=MODELS_DIR, size='full', threads=2, seed=0, model_id=None):
    """Fine-tune both shipped models on `songs` (prepared songs of one style) and write
    merlai-chords/-texture .onnx + .json and MODEL_CARD.md to out_dir."""
    t0 = time.time()
    songs = [dict(s, style=STYLES[style]) for s in songs]
    train_songs, val_songs = split_holdout(songs)
    emit('started', songs=len(songs), train=len(train_songs), validation=len(val_songs), style=style, size=size)
    os.makedirs(out_dir, exist_ok=True)
    base_meta = {k: json.load(open(os.path.join(base_dir, ONNX_NAMES[k] + '.json'))) for k in KINDS}
    results = {}
    for index, kind in enumerate(KINDS):
        started = time.time()
        architecture = base_architecture(kind, base_meta[kind])
        model = base_from_onnx(kind, os.path.join(base_dir, ONNX_NAMES[kind] + '.onnx'), architecture)
        best = finetune_model(kind, model, train_songs, val_songs, size, threads, seed, part=(index, len(KINDS)))
        if kind == 'chords':
            best['quality_bias'] = calibrate_chord_vocabulary(model, songs)
            best['val_chord_acc_calibrated'] = round(chord_accuracy(model, val_songs), 4)
            emit('progress', model='chords', step=best['step'], calibrated=True, quality_bias=best['quality_bias'],
                 val_chord_acc=best['val_chord_acc_calibrated'])
        export_model(model, kind, os.path.join(out_dir, ONNX_NAMES[kind] + '.onnx'))
        meta = {
            'date': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), 'seconds': round(time.time() - started, 1),
            'parameters': n_params(model), 'steps': best['step'], 'size': size, 'history': [best],
            'cfg': architecture,
            'default_density': dict(base_meta[kind]['default_density'], **{style: default_density(songs)[style]}),
            'data': {'train_songs': len(train_songs), 'validation_songs': len(val_songs),
                     'base': '%s %s' % (base_meta[kind]['name'], base_meta[kind]['version'])},
        }
        j = metadata(kind, meta)
        if kind == 'texture':
            sampling = j['sampling'][style]
            sampling['max_sounding'] = sounding_cap(songs, sampling['max_sounding'], sampling['min_sounding'])
            best['max_sounding'] = sampling['max_sounding']
        j['version'] = '%s+%s' % (base_meta[kind]['version'], model_id or 'personal')
        j['trained']['epochs'] = None
        j['trained']['split'] = 'the composer\'s own songs; %d held out for early stopping' % len(val_songs)
        j['base_model'] = {'name': base_meta[kind]['name'], 'version': base_meta[kind]['version']}
        if model_id:
            j['model_id'] = model_id
        with open(os.path.join(out_dir, ONNX_NAMES[kind] + '.json'), 'w') as f:
            json.dump(j, f, indent=1)
        results[kind] = best
    for name in ('merlai-downbeat.onnx', 'merlai-downbeat.json'):   # not personalised, but serving loads a model folder as a whole
        if os.path.exists(os.path.join(base_dir, name)):
            shutil.copy(os.path.join(base_dir, name), os.path.join(out_dir, name))
    seconds = round(time.time() - t0, 1)
    write_model_card(out_dir, model_id, style, size, songs, train_songs, val_songs, results, seconds, base_meta)
    emit('completed', seconds=seconds, out=out_dir, validation=results)
    return results


def write_model_card(out_dir, model_id, style, size, songs, train_songs, val_songs, results, seconds, base_meta):
    dens = default_density(songs)[style]
    lines = [
        '# Personalised Merlai model%s' % (' `%s`' % model_id if model_id else ''), '',
        'Fine-tuned from %s %s and %s %s on the composer\'s own pieces (style `%s`).' % (
            base_meta['chords']['name'], base_meta['chords']['version'],
            base_meta['texture']['name'], base_meta['texture']['version'], style), '',
        '- Pieces: %d (%d for training, %d held out for early stopping): %s' % (
            len(songs), len(train_songs), len(val_songs), ', '.join(sorted(s['id'] for s in songs))),
        '- Settings: `%s` (%s)' % (size, json.dumps({k: FINETUNING[size][k] for k in KINDS})),
        '- Default density (median accompaniment onsets per beat of these pieces): %s' % dens,
        '- Piano notes sounding together: at most %s (90th percentile of these pieces; the base bound only tightens)'
        % results['texture'].get('max_sounding'),
        '- Chords: best step %d, held-out loss %s, chord accuracy %s (against the pieces\' own or '
        'template-matched labels)' % (results['chords']['step'], results['chords']['val_loss'],
                                      results['chords'].get('val_chord_acc')),
        '- Texture: best step %d, held-out loss %s' % (results['texture']['step'], results['texture']['val_loss']),
        '- Wall time: %.0f s on CPU' % seconds, '',
        'Limitations: a few pieces give a model of that composer\'s habits, including their mistakes; '
        'the held-out loss is measured on very few songs. Inputs, outputs and decoding are those of '
        'the base models (see the base MODEL_CARD.md and README.md).', '']
    with open(os.path.join(out_dir, 'MODEL_CARD.md'), 'w') as f:
        f.write('\n'.join(lines))


def read_pieces(pieces_dir, style):
    """Every *.json score in pieces_dir -> prepared songs; a piece that cannot be used is an error."""
    names = sorted(n for n in os.listdir(pieces_dir) if n.endswith('.json'))
    if not names:
        raise ValueError('no .json scores in %s' % pieces_dir)
    return [read_score_json(os.path.join(pieces_dir, n), style) for n in names]


def run_cli(args):
    try:
        songs = read_pieces(args.pieces, args.style)
        finetune(songs, args.out, args.style, base_dir=args.base, size='quick' if args.quick else 'full',
                 threads=args.threads, seed=args.seed, model_id=args.model_id)
    except Exception as e:  # noqa: BLE001 - the caller needs one machine-readable failure line
        emit('failed', error='%s: %s' % (type(e).__name__, e))
        raise SystemExit(1)
