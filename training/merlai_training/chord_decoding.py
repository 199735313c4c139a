"""From the chord model's per-step log-probabilities to one chord per beat, as Java decodes them
(dev.merlai.arranger.model.ChordDecoding; the groups travel in merlai-chords.json as `chord_groups`).

A beat's score for a chord is the mean log-softmax over the beat's steps. The root + maj/min group (what a
listener hears as the harmony, and what the chord metric scores) is chosen first, by the summed probability of
its chords; then the most probable chord inside it. Nine chords share the probability of, say, C major (C, C7,
Cmaj7, Csus2, ...): the single most probable chord can belong to a group that is less probable as a whole."""
import numpy as np
import torch
import torch.nn.functional as F

from . import data as D


def group_log_probs(logp, groups):
    """[..., V] log-probabilities (torch) -> [..., G] log of the summed probability of each group's chords; groups:
    [V] group of each chord (LongTensor). Training's root + maj/min loss and decoding both go through here."""
    member = F.one_hot(groups, int(groups.max()) + 1).to(logp.dtype)
    top = logp.max(-1, keepdim=True).values.detach()   # a constant shift: exp() of mean log-probabilities cannot underflow
    return torch.log(torch.matmul((logp - top).exp(), member).clamp_min(1e-30)) + top


def decode(beat_logp, groups=None):
    """[beats, V] mean log-probabilities (numpy) -> the chord class of each beat."""
    groups = D.majmin_table() if groups is None else np.asarray(groups)
    best_group = group_log_probs(torch.from_numpy(np.asarray(beat_logp, np.float64)), torch.from_numpy(groups).long()).numpy().argmax(1)
    return np.where(groups[None, :] == best_group[:, None], beat_logp, -np.inf).argmax(1)
