"""From the chord model's per-step log-probabilities to one chord per beat, as Java decodes them
(dev.merlai.arranger.model.ChordDecoding; the groups travel in merlai-chords.json as `chord_groups`).

A beat's score for a chord is the mean log-softmax over the beat's steps. The root + maj/min group (what a
listener hears as the harmony, and what the chord metric scores) is chosen first, by the summed probability of
its chords; then the most probable chord inside it. Nine chords share the probability of, say, C major (C, C7,
Cmaj7, Csus2, ...): the single most probable chord can belong to a group that is less probable as a whole.

Before that, each beat hears the answers for the same beat 8 bars earlier and later (`phrase_echo`, Java's
PhraseEcho): songs repeat their harmony in 8-bar phrases, and where the melody rests the answer a phrase away is
better evidence than the beat's own (+0.9 points of POP909 validation accuracy on the beats the eval scores).
"""
import numpy as np
import torch
import torch.nn.functional as F

from . import data as song_data


# written into merlai-chords.json as `phrase_echo`: the weight of each echo where the melody sounds near the beat,
# and where it is silent for SILENCE_BEATS beats either side (chosen on the POP909 validation songs)
PHRASE_ECHO = {'bars': 8, 'sung_weight': 0.1, 'silent_weight': 1.0}
SILENCE_BEATS = 2


def phrase_echo(beat_logp, bar, beat_in_bar, sounding, bars, sung_weight, silent_weight):
    """[beats, V] log-probabilities -> per beat, the log of the weighted mean of its probabilities and those of the
    same beat (bar, beat_in_bar) `bars` bars earlier and later; the weight is silent_weight where no beat within
    SILENCE_BEATS of it has melody (`sounding` per beat), else sung_weight."""
    beat_logp = np.asarray(beat_logp, np.float64)
    if not bars:
        return beat_logp
    probs = np.exp(beat_logp)
    at = {(int(b), int(p)): i for i, (b, p) in enumerate(zip(bar, beat_in_bar))}
    sounding = np.asarray(sounding, bool)
    out = probs.copy()
    total = np.ones(len(probs))
    for i, (b, p) in enumerate(zip(bar, beat_in_bar)):
        near = sounding[max(0, i - SILENCE_BEATS):i + SILENCE_BEATS + 1].any()
        weight = sung_weight if near else silent_weight
        for echo in (at.get((int(b) - bars, int(p))), at.get((int(b) + bars, int(p)))):
            if echo is not None and weight:
                out[i] += weight * probs[echo]
                total[i] += weight
    return np.log(out / total[:, None])


def group_log_probs(logp, groups):
    """[..., V] log-probabilities (torch) -> [..., G] log of the summed probability of each group's chords; groups:
    [V] group of each chord (LongTensor). Training's root + maj/min loss and decoding both go through here."""
    member = F.one_hot(groups, int(groups.max()) + 1).to(logp.dtype)
    top = logp.max(-1, keepdim=True).values.detach()   # a constant shift: exp() of mean log-probabilities cannot underflow
    return torch.log(torch.matmul((logp - top).exp(), member).clamp_min(1e-30)) + top


def decode(beat_logp, groups=None):
    """[beats, V] mean log-probabilities (numpy) -> the chord class of each beat."""
    groups = song_data.majmin_table() if groups is None else np.asarray(groups)
    best_group = group_log_probs(torch.from_numpy(np.asarray(beat_logp, np.float64)), torch.from_numpy(groups).long()).numpy().argmax(1)
    return np.where(groups[None, :] == best_group[:, None], beat_logp, -np.inf).argmax(1)
