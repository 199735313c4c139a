"""Training loops (time-budgeted) and quick validation metrics."""
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from . import data as D
from . import batches as Bt
from .common import CACHE_DIR, save_pickle
from .chord_decoding import decode, group_log_probs, phrase_echo
from .models import build, n_params, CHORD_INPUTS, TEXTURE_INPUTS
from .prepare import prepare

GROUP_OF = D.majmin_table()   # root + maj/min group of each chord class
MAJMIN = torch.from_numpy(GROUP_OF).long()


def split_songs(songs):
    tr = [s for s in songs if not D.is_validation(s['id'])]
    va = [s for s in songs if D.is_validation(s['id'])]
    return tr, va


def default_density(songs):
    out = {}
    for style, name in ((0, 'pop'), (1, 'lied')):
        vals = np.concatenate([D.bar_density(s)[1] for s in songs if s['style'] == style] or [np.zeros(1)])
        out[name] = round(float(np.median(vals)), 3)
    return out


def to_torch(batch, names):
    return [torch.from_numpy(batch[n]) for n in names]


def sample_songs(songs, n, rng, pop_weight=0.6):
    pop = [s for s in songs if s['style'] == 0]
    lied = [s for s in songs if s['style'] == 1]
    out = []
    for _ in range(n):
        grp = pop if (rng.random() < pop_weight and pop) or not lied else lied
        out.append(grp[int(rng.integers(len(grp)))])
    return out


# ------------------------------------------------------------------ metrics

@torch.no_grad()
def song_beat_log_probs(model, song, transpositions=0):
    """The chord model's answer for every beat of the song (beats = metric_pos % 4 == 0): the mean log-softmax over
    the beat's 4 steps [beats, V], and the beats' first steps. With `transpositions` n, the log-softmax is averaged
    over the melody transposed by -n..+n, each answer rotated back (as Java does with the metadata's
    `transpositions`)."""
    was_training = model.training
    model.eval()
    lp = 0
    vocab = np.arange(D.V)
    for shift in range(-transpositions, transpositions + 1):
        w = Bt.window_arrays(song, 0, song['T'], shift)
        ins = [torch.from_numpy(w[n])[None] for n in CHORD_INPUTS[:4]] + [torch.tensor([song['style']])]
        back = torch.from_numpy(D.transpose_chord(vocab, shift))
        lp = lp + F.log_softmax(model(*ins)[0], -1)[:, back] / (2 * transpositions + 1)
    beats = np.flatnonzero(np.clip(song['metric_pos'], 0, 47) % 4 == 0)
    model.train(was_training)
    beat_lp = np.stack([lp[b:b + 4].mean(0).numpy() for b in beats]) if len(beats) else np.zeros((0, D.V))
    return beat_lp, beats


def sung_answers(song, beat_lp, beats, echo=None):
    """song_beat_log_probs' answers -> (beat log-probabilities, labelled chords) of the beats in the bars the melody
    sings; with `echo` (chord_decoding.PHRASE_ECHO's keys), each beat first hears its phrase echoes."""
    if echo and len(beats):
        sounding = [(song['mel_pitch'][b:b + 4] > 0).any() for b in beats]
        beat_in_bar = np.clip(song['metric_pos'][beats], 0, 47) // 4
        beat_lp = phrase_echo(beat_lp, song['bar_index'][beats], beat_in_bar, sounding, **echo)
    sung = np.isin(song['bar_index'][beats], D.melody_bars(song))
    return beat_lp[sung], song['chord'][beats[sung]].astype(np.int64)


def beat_log_probs(model, song, transpositions=0):
    """The chord model's answer per beat in the bars the melody sings, and the labelled chords (sung_answers)."""
    return sung_answers(song, *song_beat_log_probs(model, song, transpositions))


def chord_accuracy(model, songs, max_songs=None, transpositions=0, decoded=False):
    """Per-beat root + maj/min accuracy in the bars the melody sings: each beat's most probable chord, or
    (decoded) the shipped decoding's (chord_decoding.decode)."""
    return answers_accuracy([beat_log_probs(model, s, transpositions) for s in songs[:max_songs]], decoded)


def answers_accuracy(answers, decoded=False):
    """chord_accuracy of answers already computed by beat_log_probs: (beat log-probabilities, labels) per song."""
    hits = total = 0
    for beat_lp, labels in answers:
        if not len(labels):
            continue
        pred = decode(beat_lp) if decoded else beat_lp.argmax(1)
        hits += int((GROUP_OF[pred] == GROUP_OF[labels]).sum())
        total += len(labels)
    return hits / max(total, 1)


def sample_texture(logits, rng, temperature=1.0):
    """Java-like sampling: onsets sampled, a note lasts while sounding prob > 0.5 and no new
    onset of the pitch. logits [T,4,88] -> list of (onset, end, pitch, role)."""
    p = 1 / (1 + np.exp(-logits / temperature))
    T = p.shape[0]
    notes = []
    for role in (0, 1):
        on = rng.random((T, 88)) < p[:, 2 * role]
        snd = p[:, 2 * role + 1] > 0.5
        for t, k in zip(*np.nonzero(on)):
            e = t + 1
            while e < T and snd[e, k] and not on[e, k]:
                e += 1
            notes.append((int(t), int(e), int(k) + 21, role))
    return notes


def texture_stats(notes, song):
    """Per-bar means: onsets per beat, polyphony, range, mean pitch (all roles together)."""
    T = song['T']
    bar = song['bar_index']
    nb = int(bar.max()) + 1
    on = np.zeros(nb)
    sound = [[] for _ in range(T)]
    for s, e, p, _r in notes:
        if s < T:
            on[bar[s]] += 1
        for t in range(s, min(e, T)):
            sound[t].append(p)
    beats = np.bincount(bar, minlength=nb) / 4
    mel_bars = D.melody_bars(song)
    opb, poly, rng_, mp = [], [], [], []
    for i in mel_bars:
        steps = np.flatnonzero(bar == i)
        ps = [p for t in steps for p in sound[t]]
        opb.append(on[i] / beats[i])
        poly.append(len(ps) / len(steps))
        if ps:
            rng_.append(max(ps) - min(ps))
            mp.append(np.mean(ps))
    return {'onsets_per_beat': float(np.mean(opb)), 'polyphony': float(np.mean(poly)),
            'range': float(np.mean(rng_)) if rng_ else 0.0, 'mean_pitch': float(np.mean(mp)) if mp else 0.0}


@torch.no_grad()
def texture_eval(model, songs, max_songs=8, seed=0, dens_override=None):
    """Generate with everything unknown (true bar densities), sample, and measure texture
    against the human notes of the same songs."""
    if not songs:
        return None
    model.eval()
    rng = np.random.default_rng(seed)
    gen, ref = [], []
    for s in songs[:max_songs]:
        T = min(s['T'], 1600)
        w = Bt.window_arrays(s, 0, T, 0)
        dens = D.bar_density(s)[0][:T].astype(np.float32)
        ins = [torch.from_numpy(w[n])[None] for n in CHORD_INPUTS[:4]] + [torch.tensor([s['style']])]
        ins += [torch.from_numpy(w['chord_chroma'])[None], torch.from_numpy(w['chord_bass'])[None],
                torch.from_numpy(dens)[None], torch.zeros(1, T, 4, 88), torch.zeros(1, T)]
        logits = model(*ins)[0].numpy()
        sub = dict(s)
        sub['T'] = T
        for k in ('mel_pitch', 'bar_index'):
            sub[k] = s[k][:T]
        gen.append(texture_stats(sample_texture(logits, rng), sub))
        ref.append(texture_stats([tuple(n) for n in s['notes'] if n[0] < T], sub))
    model.train()
    avg = lambda L: {k: round(float(np.mean([x[k] for x in L])), 3) for k in L[0]}  # noqa: E731
    return {'generated': avg(gen), 'human': avg(ref)}


# ------------------------------------------------------------------ training

def sustain_mask(target):
    """[B,T,4,88] -> weights for the 4 channels: onsets everywhere; sounding only where the
    pitch sounded at the previous step. The sounding output thus learns P(still sounding at t |
    sounding at t-1), which is exactly what the decoding rule "a note lasts while the sounding
    probability stays > 0.5" asks of it."""
    w = torch.ones_like(target)
    prev = torch.zeros_like(target[:, :, 1::2])
    prev[:, 1:] = target[:, :-1, 1::2]
    w[:, :, 1::2] = prev
    return w


def texture_loss(logits, b):
    tgt = torch.from_numpy(b['target'])
    w = sustain_mask(tgt)
    bce = F.binary_cross_entropy_with_logits(logits, tgt, reduction='none') * w
    m = torch.from_numpy(b['valid'] * (1 - b['known_mask']))[..., None, None]
    return (bce * m).sum() / (m.sum() * 10.0).clamp(min=1)


def lr_at(frac, base, warm=0.03):
    if frac < warm:
        return base * frac / warm
    return base * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, (frac - warm) / (1 - warm)))))


def train(kind, data_dir, minutes=30.0, threads=2, size='full', limit=None, out=None, seed=0,
          songs=None, log_every=50, eval_every_s=240, quiet=False, init=None, lr=None, pop_weight=None, arch=None,
          group_loss=0.5):
    """arch: overrides of the model's size settings (models.SIZES), e.g. {'layers': 3}. group_loss: weight of a
    second cross-entropy on the root + maj/min class (what the chord metric scores), beside the full label's."""
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    t_start = time.time()
    if songs is None:
        songs = prepare(data_dir, limit=limit)
    tr, va = split_songs(songs)
    if not va:
        va = tr[:4]
    va_pop = [s for s in va if s['style'] == 0]
    model, cfg = build(kind, size, **(arch or {}))
    if init:
        model.load_state_dict(torch.load(init, map_location='cpu')['state'])
    print('%s: %d parameters, %d train / %d validation songs' % (kind, n_params(model), len(tr), len(va)), flush=True)
    quick = size == 'quick'
    if kind == 'chords':
        W, bs, base_lr = (512, 8, 3e-3) if quick else (1024, 16, 2e-3)
    else:
        W, bs, base_lr = (128, 8, 3e-3) if quick else (256, 16, 1.5e-3)
    base_lr = lr or base_lr
    opt = torch.optim.AdamW(model.parameters(), lr=base_lr, weight_decay=0.01)
    dens_cache = {s['id']: D.bar_density(s)[0] for s in songs} if kind == 'texture' else None
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
        vsongs = va_pop if kind == 'chords' and va_pop else va
        if kind == 'chords':
            res['val_chord_acc_pop'] = round(chord_accuracy(model, va_pop), 4) if va_pop else None
            va_l = [s for s in va if s['style'] == 1][:40]
            res['val_chord_acc_lied_template'] = round(chord_accuracy(model, va_l), 4) if va_l else None
        res['val_loss'] = round(val_loss(vsongs if kind == 'chords' else va), 4)
        if kind == 'texture':
            res['texture_pop'] = texture_eval(model, [s for s in va if s['style'] == 0], max_songs=6 if not quick else 2)
            res['texture_lied'] = texture_eval(model, [s for s in va if s['style'] == 1], max_songs=6 if not quick else 2)
        history.append(res)
        print('EVAL', json.dumps(res), flush=True)
        return res

    vrng_seed = 1234

    @torch.no_grad()
    def val_loss(vs):
        model.eval()
        r = np.random.default_rng(vrng_seed)
        tot = []
        for i in range(0, min(len(vs), 64 if not quick else 8), bs):
            group = vs[i:i + bs]
            if kind == 'chords':
                items = [Bt.chord_item(s, W, r, augment=False) for s in group]
            else:
                items = [Bt.texture_item(s, W, r, augment=False, density=dens_cache[s['id']]) for s in group]
            tot.append(float(loss_of(Bt.collate(items))))
        model.train()
        return float(np.mean(tot))

    def loss_of(b):
        if kind == 'chords':
            logits = model(*to_torch(b, CHORD_INPUTS))
            ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.from_numpy(b['chord']).reshape(-1),
                                 reduction='none', label_smoothing=0.05)
            if group_loss:
                lpg = group_log_probs(F.log_softmax(logits, -1).reshape(-1, logits.shape[-1]), MAJMIN)
                ce = ce + group_loss * F.nll_loss(lpg, MAJMIN[torch.from_numpy(b['chord']).reshape(-1)], reduction='none')
            m = torch.from_numpy(b['valid']).reshape(-1)
            return (ce * m).sum() / m.sum().clamp(min=1)
        logits = model(*to_torch(b, TEXTURE_INPUTS))
        return texture_loss(logits, b)

    model.train()
    while True:
        frac = (time.time() - t0) / budget
        if frac >= 1:
            break
        for g in opt.param_groups:
            g['lr'] = lr_at(frac, base_lr)
        group = sample_songs(tr, bs, rng, pop_weight=pop_weight or (0.75 if kind == 'chords' else 0.6))
        if kind == 'chords':
            items = [Bt.chord_item(s, W, rng) for s in group]
        else:
            items = [Bt.texture_item(s, W, rng, density=dens_cache[s['id']]) for s in group]
        loss = loss_of(Bt.collate(items))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        run_loss.append(float(loss))
        step += 1
        if step % log_every == 0 and not quiet:
            print('step %d  %.1f min  lr %.2e  loss %.4f' % (step, (time.time() - t0) / 60, lr_at(frac, base_lr),
                                                             np.mean(run_loss[-log_every:])), flush=True)
        if time.time() - last_eval > eval_every_s:
            evaluate()
            save(model, kind, cfg, size, out, history, songs, step, time.time() - t0, tr, va)
            last_eval = time.time()
    final = evaluate()
    secs = time.time() - t0
    save(model, kind, cfg, size, out, history, songs, step, secs, tr, va)
    print('%s: trained %d steps in %.1f min -> %s' % (kind, step, secs / 60, out), flush=True)
    return model, final


def save(model, kind, cfg, size, out, history, songs, steps, seconds, tr, va):
    os.makedirs(os.path.dirname(out) or '.', exist_ok=True)
    meta = {
        'kind': kind, 'cfg': cfg, 'size': size, 'history': history, 'steps': steps,
        'seconds': round(seconds, 1), 'parameters': n_params(model),
        'default_density': default_density(tr),
        'data': {'train_songs': {'pop909': sum(s['style'] == 0 for s in tr), 'lieder': sum(s['style'] == 1 for s in tr)},
                 'validation_songs': {'pop909': sum(s['style'] == 0 for s in va), 'lieder': sum(s['style'] == 1 for s in va)}},
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
