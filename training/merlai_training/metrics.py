"""Validation metrics shared by training, fine-tuning and validate: chord accuracy per beat and texture statistics."""
import numpy as np
import torch
import torch.nn.functional as F

from . import batches
from . import data as song_data
from .chord_decoding import decode, phrase_echo
from .config import LOWEST_PITCH, PITCH_COUNT
from .models import CHORD_INPUTS

GROUP_OF = song_data.majmin_table()   # root + maj/min group of each chord class


@torch.no_grad()
def song_beat_log_probs(model, song, transpositions=0):
    """The chord model's answer for every beat of the song (beats = metric_pos % 4 == 0): the mean log-softmax over
    the beat's 4 steps [beats, V], and the beats' first steps. With `transpositions` n, the log-softmax is averaged
    over the melody transposed by -n..+n, each answer rotated back (as Java does with the metadata's
    `transpositions`)."""
    was_training = model.training
    model.eval()
    lp = 0
    vocab = np.arange(song_data.V)
    for shift in range(-transpositions, transpositions + 1):
        w = batches.window_arrays(song, 0, song['T'], shift)
        ins = [torch.from_numpy(w[n])[None] for n in CHORD_INPUTS[:4]] + [torch.tensor([song['style']])]
        back = torch.from_numpy(song_data.transpose_chord(vocab, shift))
        lp = lp + F.log_softmax(model(*ins)[0], -1)[:, back] / (2 * transpositions + 1)
    beats = np.flatnonzero(np.clip(song['metric_pos'], 0, 47) % 4 == 0)
    model.train(was_training)
    beat_lp = np.stack([lp[b:b + 4].mean(0).numpy() for b in beats]) if len(beats) else np.zeros((0, song_data.V))
    return beat_lp, beats


def sung_answers(song, beat_lp, beats, echo=None):
    """song_beat_log_probs' answers -> (beat log-probabilities, labelled chords) of the beats in the bars the melody
    sings; with `echo` (chord_decoding.PHRASE_ECHO's keys), each beat first hears its phrase echoes."""
    if echo and len(beats):
        sounding = [(song['mel_pitch'][b:b + 4] > 0).any() for b in beats]
        beat_in_bar = np.clip(song['metric_pos'][beats], 0, 47) // 4
        beat_lp = phrase_echo(beat_lp, song['bar_index'][beats], beat_in_bar, sounding, **echo)
    sung = np.isin(song['bar_index'][beats], song_data.melody_bars(song))
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
        on = rng.random((T, PITCH_COUNT)) < p[:, 2 * role]
        snd = p[:, 2 * role + 1] > 0.5
        for t, k in zip(*np.nonzero(on)):
            e = t + 1
            while e < T and snd[e, k] and not on[e, k]:
                e += 1
            notes.append((int(t), int(e), int(k) + LOWEST_PITCH, role))
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
    mel_bars = song_data.melody_bars(song)
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
        w = batches.window_arrays(s, 0, T, 0)
        dens = song_data.bar_density(s)[0][:T].astype(np.float32)
        ins = [torch.from_numpy(w[n])[None] for n in CHORD_INPUTS[:4]] + [torch.tensor([s['style']])]
        ins += [torch.from_numpy(w['chord_chroma'])[None], torch.from_numpy(w['chord_bass'])[None],
                torch.from_numpy(dens)[None], torch.zeros(1, T, 4, PITCH_COUNT), torch.zeros(1, T)]
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
