"""Pre-training the chord and texture models, time-budgeted (python -m merlai_training train|quick)."""
import json
import os
import time

import numpy as np
import torch

from . import batches
from . import data as song_data
from .common import CACHE_DIR
from .config import CHORD_GROUP_LOSS, CHORD_POP_WEIGHT, GRADIENT_CLIP_NORM, PRETRAINING, TEXTURE_POP_WEIGHT, WEIGHT_DECAY
from .losses import chord_loss, learning_rate_at, texture_loss, to_torch
from .metrics import chord_accuracy, texture_eval
from .models import build, n_params, CHORD_INPUTS, TEXTURE_INPUTS
from .prepare import prepare
from .songs import default_density, split_songs


def sample_songs(songs, n, rng, pop_weight):
    pop = [s for s in songs if s['style'] == 0]
    lied = [s for s in songs if s['style'] == 1]
    out = []
    for _ in range(n):
        grp = pop if (rng.random() < pop_weight and pop) or not lied else lied
        out.append(grp[int(rng.integers(len(grp)))])
    return out


def train(kind, data_dir, minutes=30.0, threads=2, size='full', limit=None, out=None, seed=0,
          songs=None, log_every=50, eval_every_s=240, quiet=False, init=None, lr=None, pop_weight=None, arch=None,
          group_loss=CHORD_GROUP_LOSS):
    """arch: overrides of the model's size settings (models.SIZES), e.g. {'layers': 3}. group_loss: weight of a
    second cross-entropy on the root + maj/min class (what the chord metric scores), beside the full label's."""
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    t_start = time.time()
    if songs is None:
        songs = prepare(data_dir, limit=limit)
    train_songs, validation_songs = split_songs(songs)
    if not validation_songs:
        validation_songs = train_songs[:4]
    validation_pop = [s for s in validation_songs if s['style'] == 0]
    model, cfg = build(kind, size, **(arch or {}))
    if init:
        model.load_state_dict(torch.load(init, map_location='cpu')['state'])
    print('%s: %d parameters, %d train / %d validation songs' % (kind, n_params(model), len(train_songs), len(validation_songs)), flush=True)
    quick = size == 'quick'
    settings = PRETRAINING[(kind, size)]
    window_steps, batch_songs = settings['window_steps'], settings['batch_songs']
    peak_learning_rate = lr or settings['learning_rate']
    opt = torch.optim.AdamW(model.parameters(), lr=peak_learning_rate, weight_decay=WEIGHT_DECAY)
    dens_cache = {s['id']: song_data.bar_density(s)[0] for s in songs} if kind == 'texture' else None
    budget = minutes * 60
    out = out or os.path.join(CACHE_DIR, '%s.pt' % kind)
    history = []
    step = 0
    last_eval = time.time()
    t0 = time.time()
    run_loss = []
    best = None

    def evaluate():
        res = {'step': step, 'minutes': round((time.time() - t0) / 60, 2)}
        vsongs = validation_pop if kind == 'chords' and validation_pop else validation_songs
        if kind == 'chords':
            res['val_chord_acc_pop'] = round(chord_accuracy(model, validation_pop), 4) if validation_pop else None
            validation_lied = [s for s in validation_songs if s['style'] == 1][:40]
            res['val_chord_acc_lied_template'] = round(chord_accuracy(model, validation_lied), 4) if validation_lied else None
        res['val_loss'] = round(val_loss(vsongs if kind == 'chords' else validation_songs), 4)
        if kind == 'texture':
            res['texture_pop'] = texture_eval(model, [s for s in validation_songs if s['style'] == 0], max_songs=6 if not quick else 2)
            res['texture_lied'] = texture_eval(model, [s for s in validation_songs if s['style'] == 1], max_songs=6 if not quick else 2)
        history.append(res)
        print('EVAL', json.dumps(res), flush=True)
        return res

    vrng_seed = 1234

    @torch.no_grad()
    def val_loss(vs):
        model.eval()
        r = np.random.default_rng(vrng_seed)
        tot = []
        for i in range(0, min(len(vs), 64 if not quick else 8), batch_songs):
            group = vs[i:i + batch_songs]
            if kind == 'chords':
                items = [batches.chord_item(s, window_steps, r, augment=False) for s in group]
            else:
                items = [batches.texture_item(s, window_steps, r, augment=False, density=dens_cache[s['id']]) for s in group]
            tot.append(float(loss_of(batches.collate(items))))
        model.train()
        return float(np.mean(tot))

    def loss_of(b):
        if kind == 'chords':
            return chord_loss(model(*to_torch(b, CHORD_INPUTS)), b['chord'], b['valid'], group_loss)
        logits = model(*to_torch(b, TEXTURE_INPUTS))
        return texture_loss(logits, b)

    model.train()
    while True:
        frac = (time.time() - t0) / budget
        if frac >= 1:
            break
        for g in opt.param_groups:
            g['lr'] = learning_rate_at(frac, peak_learning_rate)
        group = sample_songs(train_songs, batch_songs, rng, pop_weight=pop_weight or (CHORD_POP_WEIGHT if kind == 'chords' else TEXTURE_POP_WEIGHT))
        if kind == 'chords':
            items = [batches.chord_item(s, window_steps, rng) for s in group]
        else:
            items = [batches.texture_item(s, window_steps, rng, density=dens_cache[s['id']]) for s in group]
        loss = loss_of(batches.collate(items))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), GRADIENT_CLIP_NORM)
        opt.step()
        run_loss.append(float(loss))
        step += 1
        if step % log_every == 0 and not quiet:
            print('step %d  %.1f min  lr %.2e  loss %.4f' % (step, (time.time() - t0) / 60, learning_rate_at(frac, peak_learning_rate),
                                                             np.mean(run_loss[-log_every:])), flush=True)
        if time.time() - last_eval > eval_every_s:
            evaluate()
            save(model, kind, cfg, size, out, history, songs, step, time.time() - t0, train_songs, validation_songs)
            last_eval = time.time()
    final = evaluate()
    secs = time.time() - t0
    save(model, kind, cfg, size, out, history, songs, step, secs, train_songs, validation_songs)
    print('%s: trained %d steps in %.1f min -> %s' % (kind, step, secs / 60, out), flush=True)
    return model, final


def save(model, kind, cfg, size, out, history, songs, steps, seconds, train_songs, validation_songs):
    os.makedirs(os.path.dirname(out) or '.', exist_ok=True)
    meta = {
        'kind': kind, 'cfg': cfg, 'size': size, 'history': history, 'steps': steps,
        'seconds': round(seconds, 1), 'parameters': n_params(model),
        'default_density': default_density(train_songs),
        'data': {'train_songs': {'pop909': sum(s['style'] == 0 for s in train_songs), 'lieder': sum(s['style'] == 1 for s in train_songs)},
                 'validation_songs': {'pop909': sum(s['style'] == 0 for s in validation_songs), 'lieder': sum(s['style'] == 1 for s in validation_songs)}},
        'date': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
    }
    torch.save({'state': model.state_dict(), 'meta': meta}, out + '.tmp')
    os.replace(out + '.tmp', out)


def quick(data_dir, out_dir, seconds=40.0, limit=30):
    """Tiny end-to-end run: a small subset, tiny models, export to out_dir."""
    from .export import export_all
    t = time.time()
    songs = prepare(data_dir, limit=limit)
    ck = os.path.join(CACHE_DIR, 'quick')
    for kind in ('chords', 'texture'):
        train(kind, data_dir, minutes=seconds / 60, size='quick', songs=songs,
              out=os.path.join(ck, kind + '.pt'), eval_every_s=1e9, quiet=True)
    export_all(ck, out_dir)
    from . import downbeat
    model, info = downbeat.train(seconds / 60, limit=limit, data=data_dir)
    downbeat.export(model, info | {'size': 'quick'}, out_dir)
    print('quick: done in %.1f s -> %s' % (time.time() - t, out_dir))
