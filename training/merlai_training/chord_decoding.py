"""From the chord model's per-step log-probabilities to one chord per beat, as Java decodes them
(dev.merlai.arranger.model.ChordDecoding; the groups travel in merlai-chords.json as `chord_groups`).

A beat's score for a chord is the mean log-softmax over the beat's steps. The root + maj/min group (what a
listener hears as the harmony, and what the chord metric scores) is chosen first, by the summed probability of
its chords; then the most probable chord inside it. Nine chords share the probability of, say, C major (C, C7,
Cmaj7, Csus2, ...): the single most probable chord can belong to a group that is less probable as a whole."""
import numpy as np

from . import data as D


def group_log_probs(beat_logp, groups):
    """[beats, V] mean log-probabilities -> [beats, G] log of the summed probability of each group's chords."""
    top = beat_logp.max(1, keepdims=True)
    summed = np.zeros((len(beat_logp), int(groups.max()) + 1))
    np.add.at(summed.T, groups, np.exp(beat_logp - top).T)
    return np.log(np.maximum(summed, 1e-30)) + top


def decode(beat_logp, groups=None):
    """[beats, V] mean log-probabilities -> the chord class of each beat."""
    groups = D.majmin_table() if groups is None else np.asarray(groups)
    best_group = group_log_probs(beat_logp, groups).argmax(1)
    return np.where(groups[None, :] == best_group[:, None], beat_logp, -np.inf).argmax(1)
