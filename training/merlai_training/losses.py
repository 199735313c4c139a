"""What the training runs optimise: the chord and texture models' losses, the small models' Gaussian likelihood, and
the learning-rate schedules."""
import math

import torch
import torch.nn.functional as F

from .chord_decoding import group_log_probs
from .config import LABEL_SMOOTHING, WARMUP_FRACTION
from .metrics import GROUP_OF

CHORD_GROUP = torch.from_numpy(GROUP_OF).long()


def to_torch(batch, names):
    return [torch.from_numpy(batch[n]) for n in names]


def chord_loss(logits, chords, mask, group_loss=0.0):
    """logits [B,T,V], chords and mask [B,T] (numpy): the per-step cross-entropy of the chord labels (smoothed by
    LABEL_SMOOTHING), plus group_loss x the cross-entropy of their root + maj/min group (the summed probability of the
    group's chords: what the chord metric scores), averaged over the steps where mask is 1."""
    flat = logits.reshape(-1, logits.shape[-1])
    labels = torch.from_numpy(chords).reshape(-1).long()
    loss = F.cross_entropy(flat, labels, reduction='none', label_smoothing=LABEL_SMOOTHING)
    if group_loss:
        loss = loss + group_loss * F.nll_loss(group_log_probs(F.log_softmax(flat, -1), CHORD_GROUP), CHORD_GROUP[labels], reduction='none')
    weights = torch.from_numpy(mask).reshape(-1)
    return (loss * weights).sum() / weights.sum().clamp(min=1)


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


def learning_rate_at(run_fraction, peak_learning_rate, warmup_fraction=WARMUP_FRACTION):
    """The schedule: a linear warm-up to the peak, then a cosine down to 5% of it at the end of the run."""
    if run_fraction < warmup_fraction:
        return peak_learning_rate * run_fraction / warmup_fraction
    progress = min(1.0, (run_fraction - warmup_fraction) / (1 - warmup_fraction))
    return peak_learning_rate * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))


def short_run_learning_rate(run_fraction, peak_learning_rate, warmup_fraction=0.03):
    """The small models' schedule: a linear warm-up over the first 3% of the run, then a cosine to 0 at its end."""
    return peak_learning_rate * min(1.0, run_fraction / warmup_fraction) * 0.5 * (1 + math.cos(math.pi * run_fraction))


def gaussian_nll(x, mean, log_std):
    """Per element: the negative log-likelihood of x under N(mean, exp(log_std)^2), less its constant."""
    return log_std + 0.5 * ((x - mean) / log_std.exp()) ** 2
