"""The chord model for live accompaniment (issue 20): the shipped chord model fine-tuned on what a live session shows it.

A live plan (Java `LiveEngine.Plan`) gives the chord model a window of up to `LIVE_CONTEXT_BARS` bars heard and the
bars just ahead, whose melody is not yet played: there it hears a guess (Java `RepeatedMelody`: what followed the
earlier passage most like the bars just heard), and it commits the chord of the beat just after the last melody step
heard. The offline model was trained on whole melodies, where what follows is always what was sung. Here each
training window is a live window, cut at a random step: the melody from the cut on is the live engine's guess
(`repeated_melody`), and the loss is taken only on the steps the live engine commits from that window (the
`LIVE_TARGET_STEPS` after the cut). It starts from the shipped model's weights (read back from its ONNX file, so no
checkpoint of ours is needed) and keeps its architecture and contract, so Java serves it as it serves the offline one.

    python3 -m merlai_training live-chords --minutes 30     # fine-tunes, reports the live accuracy, exports to models/
"""
import json
import os
import time

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torch.nn.functional as F

from . import batches
from .common import CACHE_DIR, split_ids
from .config import CHORD_GROUP_LOSS, CHORD_POP_WEIGHT, GRADIENT_CLIP_NORM, HIGHEST_PITCH, LOWEST_PITCH, WEIGHT_DECAY
from .losses import chord_loss, learning_rate_at, to_torch
from .metrics import GROUP_OF
from .models import CHORD_INPUTS, build
from .prepare import prepare
from .songs import split_songs

LIVE_CONTEXT_BARS = 4     # the bars a live plan hears before the bar it commits in (Java LiveSettings.DEFAULT_CONTEXT_BARS)
LIVE_MATCH_BARS = 2       # bars just heard that the guess compares with earlier passages (Java RepeatedMelody.MATCH_BARS)
LIVE_AHEAD_BARS = 2       # the bars of the window after the cut's bar (a plan reaches the bar after the look-ahead's)
LIVE_TARGET_STEPS = 8     # 16th steps after the cut the loss is taken on: the beats the next commits decide
LIVE_BATCH_WINDOWS = 64
LIVE_LEARNING_RATE = 3e-4
LIVE_NAME = 'merlai-chords-live'
LIVE_VERSION = '1.0.0'


def from_onnx(path):
    """The shipped chord model's weights as a models.ChordModel. The exporter keeps every parameter's name but the
    GRU's, which it stores as ONNX GRU tensors: W, R [directions, 3*hidden, in] and B [directions, 6*hidden] with the
    gates in the order z, r, h, where PyTorch keeps r, z, n per direction."""
    graph = onnx.load(path).graph
    tensors = {t.name: torch.from_numpy(onnx.numpy_helper.to_array(t).copy()) for t in graph.initializer}
    model, _ = build('chords', 'full')
    state = model.state_dict()
    for name in state:
        if name in tensors:
            state[name] = tensors[name].reshape(state[name].shape)
    grus = [node for node in graph.node if node.op_type == 'GRU']
    hidden = model.gru.hidden_size

    def torch_order(w):  # z, r, h -> r, z, n along the first axis
        return torch.cat([w[hidden:2 * hidden], w[:hidden], w[2 * hidden:]])

    for layer, node in enumerate(grus):
        w, r, b = (tensors[n] for n in node.input[1:4])
        for direction, suffix in enumerate(('', '_reverse')):
            state['gru.weight_ih_l%d%s' % (layer, suffix)] = torch_order(w[direction])
            state['gru.weight_hh_l%d%s' % (layer, suffix)] = torch_order(r[direction])
            state['gru.bias_ih_l%d%s' % (layer, suffix)] = torch_order(b[direction][:3 * hidden])
            state['gru.bias_hh_l%d%s' % (layer, suffix)] = torch_order(b[direction][3 * hidden:])
    model.load_state_dict(state)
    return model


def repeated_melody(pitch, onset, now, until, bar_steps):
    """The live engine's guess of the melody of steps [now, until) from pitch and onset, the steps heard before now (Java
    RepeatedMelody, on 16th steps): what followed the earlier passage, whole bars back, whose pitch or rest agrees with
    the last LIVE_MATCH_BARS bars on the most steps (the most recent on a tie); None when too little was heard. A note
    that started before the copied passage is not copied."""
    matched = LIVE_MATCH_BARS * bar_steps
    shortest = bar_steps * -(-(until - now) // bar_steps)
    if now < shortest:
        return None
    best_shift, best = shortest, -1
    for shift in range(shortest, now - matched + 1, bar_steps):
        agree = int((pitch[now - matched:now] == pitch[now - matched - shift:now - shift]).sum())
        if agree > best:
            best, best_shift = agree, shift
    guess_pitch, guess_onset = pitch[now - best_shift:until - best_shift].copy(), onset[now - best_shift:until - best_shift].copy()
    first = np.flatnonzero(guess_onset > 0)
    cut = first[0] if len(first) else len(guess_pitch)
    guess_pitch[:cut], guess_onset[:cut] = 0, 0
    return guess_pitch, guess_onset


def live_window(song, rng, augment=True, lookahead_steps=None):
    """One live window of a song: the contract arrays with the melody from the cut on replaced by the live engine's
    guess (repeated_melody, rests where it has none), the chord per step and the steps the loss or the accuracy is
    taken on ('target'); None when the song is too short. The window starts on a bar line up to LIVE_CONTEXT_BARS
    before the cut's bar (fewer at the song's start, as live) and ends LIVE_AHEAD_BARS after it. The cut falls on any
    step, the target the LIVE_TARGET_STEPS after it; with lookahead_steps, the target is a beat of the bar and the cut
    lookahead_steps before it (what a live session has heard when it commits that beat)."""
    bar_starts = np.flatnonzero(song['metric_pos'][:song['T']] == 0)
    if len(bar_starts) < 3:
        return None
    cut_bar = int(rng.integers(1, len(bar_starts) - 1))
    bar_start, bar_end = int(bar_starts[cut_bar]), int(bar_starts[cut_bar + 1])
    if lookahead_steps is None:
        cut = int(rng.integers(bar_start, bar_end))
        target_from, target_to = cut, cut + LIVE_TARGET_STEPS
    else:
        beats = np.arange(bar_start, bar_end)[song['metric_pos'][bar_start:bar_end] % 4 == 0]
        target_from = int(rng.choice(beats))
        cut, target_to = target_from - lookahead_steps, target_from + 4
    first = int(bar_starts[max(0, cut_bar - LIVE_CONTEXT_BARS)])
    end_bar = cut_bar + 1 + LIVE_AHEAD_BARS
    end = int(bar_starts[end_bar]) if end_bar < len(bar_starts) else song['T']
    shift = batches.pick_shift(rng, *batches.window_range(song, first, end)) if augment else 0
    w = batches.window_arrays(song, first, end, shift)
    pitch, onset = w['melody_pitch'].copy(), w['melody_onset'].copy()
    pitch[cut - first:], onset[cut - first:] = 0, 0
    guess = repeated_melody(song['mel_pitch'][:cut], song['mel_onset'][:cut], cut, end, int(song['bar_steps'][cut]))
    if guess is not None:
        pitch[cut - first:] = np.where(guess[0] > 0, np.clip(guess[0] + shift, LOWEST_PITCH, HIGHEST_PITCH), 0)
        onset[cut - first:] = guess[1]
    target = np.zeros(end - first, np.float32)
    target[target_from - first:target_to - first] = 1
    return {'melody_pitch': pitch, 'melody_onset': onset.astype(np.float32), 'metric_pos': w['metric_pos'], 'bar_steps': w['bar_steps'],
            'style': song['style'], 'chord': w['chord'], 'target': target}


def windows(songs, n, rng, augment=True, pop_weight=None, lookahead_steps=None):
    """n live windows of songs drawn at random (a share pop_weight of them from the POP909 songs, when given)."""
    pop = [s for s in songs if s['style'] == 0]
    out = []
    while len(out) < n:
        pool = pop if pop_weight is not None and pop and rng.random() < pop_weight else songs
        item = live_window(pool[int(rng.integers(len(pool)))], rng, augment, lookahead_steps)
        if item is not None:
            out.append(item)
    return out


def loss_of(model, batch):
    return chord_loss(model(*to_torch(batch, CHORD_INPUTS)), batch['chord'], batch['target'] * batch['valid'], CHORD_GROUP_LOSS)


@torch.no_grad()
def live_accuracy(model, songs, beats_per_song=24, lookahead_steps=1, seed=1234):
    """Root + maj/min accuracy of beats as a live session commits them, lookahead_steps 16ths before they start
    (1: --lookahead 0.25), from the mean of the beat's steps' log-probabilities; over fixed random beats of the songs
    (the same for every model), those with a chord labelled."""
    model.eval()
    rng = np.random.default_rng(seed)
    hits = total = 0
    for song in songs:
        items = windows([song], beats_per_song, rng, augment=False, lookahead_steps=lookahead_steps)
        log_probs = F.log_softmax(model(*to_torch(batches.collate(items), CHORD_INPUTS)), -1).numpy()
        for row, item in enumerate(items):
            steps = np.flatnonzero(item['target'])
            label = item['chord'][steps[0]]
            if label == 0:
                continue
            predicted = int(log_probs[row, steps].mean(0).argmax())
            hits += int(GROUP_OF[predicted] == GROUP_OF[label])
            total += 1
    model.train()
    return hits / max(total, 1), total


def finetune(data_dir, shipped, minutes, threads=2, seed=0, out=None, eval_every_s=300):
    """Fine-tunes the shipped chord model on live windows of the training songs; picks nothing on the held part."""
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    songs = prepare(data_dir)
    pop = [s for s in songs if s['style'] == 0]
    tune_ids, held_ids = split_ids('pop909-validation-tune.txt'), split_ids('pop909-validation-held.txt')
    train_songs, _ = split_songs(songs)
    tune = [s for s in pop if s['id'] in tune_ids]
    held = [s for s in pop if s['id'] in held_ids]
    model = from_onnx(shipped)
    before = {'tune': live_accuracy(model, tune)[0], 'held': live_accuracy(model, held)[0]}
    print('live chord accuracy of the shipped model: tune %.4f, held %.4f' % (before['tune'], before['held']), flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=LIVE_LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    out = out or os.path.join(CACHE_DIR, 'chords-live.pt')
    history = []
    t0 = last = time.time()
    step = 0
    model.train()
    while time.time() - t0 < minutes * 60:
        for group in opt.param_groups:
            group['lr'] = learning_rate_at((time.time() - t0) / (minutes * 60), LIVE_LEARNING_RATE)
        loss = loss_of(model, batches.collate(windows(train_songs, LIVE_BATCH_WINDOWS, rng, pop_weight=CHORD_POP_WEIGHT)))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), GRADIENT_CLIP_NORM)
        opt.step()
        step += 1
        if time.time() - last > eval_every_s:
            history.append({'step': step, 'minutes': round((time.time() - t0) / 60, 1), 'tune': round(live_accuracy(model, tune)[0], 4)})
            print('EVAL', json.dumps(history[-1]), 'loss %.4f' % float(loss), flush=True)
            torch.save({'state': model.state_dict(), 'history': history}, out)
            last = time.time()
    after = {'tune': live_accuracy(model, tune)[0], 'held': live_accuracy(model, held)[0]}
    print('live chord accuracy after %d steps (%.1f min): tune %.4f, held %.4f' % (step, (time.time() - t0) / 60, after['tune'], after['held']), flush=True)
    torch.save({'state': model.state_dict(), 'history': history, 'before': before, 'after': after, 'steps': step}, out)
    return model, {'before': before, 'after': after, 'steps': step, 'minutes': minutes, 'history': history}


def export(model, result, shipped_onnx, out_dir):
    """Writes LIVE_NAME.onnx (the chord contract: the same inputs and chord_logits) and its JSON: the shipped chord
    model's metadata (vocabulary, groups, decoding, transpositions, phrase echo: the live engine decodes as the offline
    arranger does) with this model's name, version and training, and the live accuracies measured before and after."""
    from .export import export_model
    os.makedirs(out_dir, exist_ok=True)
    export_model(model, 'chords', os.path.join(out_dir, LIVE_NAME + '.onnx'))
    with open(os.path.splitext(shipped_onnx)[0] + '.json') as f:
        meta = json.load(f)
    base = '%s@%s' % (meta['name'], meta['version'])
    meta.update(name=LIVE_NAME, version=LIVE_VERSION, file=LIVE_NAME + '.onnx')
    meta['trained'] = {'date': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), 'from': base,
                       'minutes': result['minutes'], 'optimizer_steps': result['steps'],
                       'windows': {'context_bars': LIVE_CONTEXT_BARS, 'ahead_bars': LIVE_AHEAD_BARS, 'target_steps': LIVE_TARGET_STEPS,
                                   'batch': LIVE_BATCH_WINDOWS, 'pop_weight': CHORD_POP_WEIGHT, 'learning_rate': LIVE_LEARNING_RATE},
                       'split': 'the shipped model\'s training songs; validation songs (training/split/) unseen'}
    meta['validation'] = {'live_chord_accuracy': {
        'measure': 'root + maj/min of a beat committed one 16th before it starts (the melody after that the live engine\'s '
                   'guess), one pass, 24 fixed beats per song (live_chords.live_accuracy)',
        base: {part: round(v, 4) for part, v in result['before'].items()},
        LIVE_NAME + '@' + LIVE_VERSION: {part: round(v, 4) for part, v in result['after'].items()},
        'chosen_on': 'the tune part (guessed rather than silent windows, from live replays of its songs); the held part never'}}
    with open(os.path.join(out_dir, LIVE_NAME + '.json'), 'w') as f:
        json.dump(meta, f, indent=1)
        f.write('\n')


def run_cli(args):
    shipped = os.path.join(args.models, 'merlai-chords.onnx')
    model, result = finetune(args.data, shipped, args.minutes, threads=args.threads, seed=args.seed)
    export(model, result, shipped, args.models)
