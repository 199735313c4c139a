"""The two networks. Both take the raw contract inputs (see models/README.md) and featurise
inside the graph, so the ONNX files need nothing but the contract tensors."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import PITCH_COUNT
from .data import V



class ChannelNorm(nn.Module):
    """LayerNorm over the channel axis of a [B,C,T] tensor (exports as plain ops)."""

    def __init__(self, c):
        super().__init__()
        self.g = nn.Parameter(torch.ones(1, c, 1))
        self.b = nn.Parameter(torch.zeros(1, c, 1))

    def forward(self, x):
        m = x.mean(1, keepdim=True)
        v = ((x - m) ** 2).mean(1, keepdim=True)
        return (x - m) / torch.sqrt(v + 1e-5) * self.g + self.b


class ResBlock(nn.Module):
    def __init__(self, c, dilation, k=3, expand=2, dropout=0.0):
        super().__init__()
        self.norm = ChannelNorm(c)
        self.conv = nn.Conv1d(c, c * expand, k, dilation=dilation, padding=dilation * (k - 1) // 2)
        self.proj = nn.Conv1d(c * expand, c, 1)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        return x + self.drop(self.proj(F.gelu(self.conv(self.norm(x)))))


class Frontend(nn.Module):
    """Shared melody/metre featurisation -> [B,T,F]."""

    def __init__(self, d_pitch=32, d_metric=16):
        super().__init__()
        self.pitch = nn.Embedding(109, d_pitch)
        self.pc = nn.Embedding(13, d_pitch)
        self.metric = nn.Embedding(48, d_metric)
        self.barlen = nn.Embedding(49, d_metric)
        self.beatpos = nn.Embedding(4, d_metric)
        self.style = nn.Embedding(2, d_metric)
        pc = torch.full((109,), 12, dtype=torch.long)
        for p in range(1, 109):
            pc[p] = p % 12
        self.register_buffer('pc_table', pc, persistent=False)
        self.out_dim = 2 * d_pitch + 1 + 4 * d_metric

    def forward(self, melody_pitch, melody_onset, metric_pos, bar_steps, style):
        mp = melody_pitch.clamp(0, 108)
        mpos = metric_pos.clamp(0, 47)
        T = melody_pitch.shape[1]
        st = self.style(style).unsqueeze(1).expand(-1, T, -1)
        return torch.cat([self.pitch(mp), self.pc(self.pc_table[mp]), melody_onset.unsqueeze(-1),
                          self.metric(mpos), self.barlen(bar_steps.clamp(1, 48)),
                          self.beatpos(torch.remainder(mpos, 4)), st], dim=-1)


def upsample4(y, T):
    """[B,C,ceil(T/4)] -> [B,C,T] by repeating each beat-level vector over its 4 steps."""
    idx = torch.div(torch.arange(T, device=y.device), 4, rounding_mode='floor')
    return y.index_select(2, idx)


class ChordModel(nn.Module):
    """Step features -> convs -> pooled to blocks of 4 steps -> BiGRU -> back to steps."""

    def __init__(self, d=128, hidden=128, layers=2, dropout=0.1, d_step=64):
        super().__init__()
        self.front = Frontend()
        self.inp = nn.Conv1d(self.front.out_dim, d_step, 1)
        self.step_blocks = nn.Sequential(ResBlock(d_step, 1, k=5, dropout=dropout))
        self.pool = nn.Conv1d(d_step, d, 4, stride=4)
        self.gru = nn.GRU(d, hidden, num_layers=layers, batch_first=True, bidirectional=True,
                          dropout=dropout if layers > 1 else 0.0)
        self.post = nn.Conv1d(2 * hidden, d, 3, padding=1)
        self.out = nn.Conv1d(d, V, 1)
        self.out_step = nn.Conv1d(d_step, V, 1)

    def forward(self, melody_pitch, melody_onset, metric_pos, bar_steps, style):
        T = melody_pitch.shape[1]
        x = self.front(melody_pitch, melody_onset, metric_pos, bar_steps, style).transpose(1, 2)
        x = self.step_blocks(self.inp(x))                       # [B,ds,T]
        b = self.pool(F.pad(x, (0, 3)))                         # [B,d,ceil(T/4)]
        g, _ = self.gru(b.transpose(1, 2))                      # [B,T4,2h]
        y = self.out(F.gelu(self.post(g.transpose(1, 2))))      # [B,V,T4]
        y = upsample4(y, T) + self.out_step(x)                  # [B,V,T]
        return y.transpose(1, 2)                                # [B,T,V]


class TextureModel(nn.Module):
    """Masked-infill piano-roll model: step-level dilated convs around a beat-level dilated
    conv stack (U-Net with one stride-4 level). Non-recurrent, fully parallel over T."""

    def __init__(self, d=128, d_beat=192, step_dil=(1, 2, 4), beat_dil=(1, 2, 4, 8, 16, 1, 2, 4),
                 post_dil=(1, 2, 1), dropout=0.1):
        super().__init__()
        self.front = Frontend()
        self.bass = nn.Embedding(13, 8)
        self.known = nn.Linear(4 * PITCH_COUNT, d)
        fin = self.front.out_dim + 12 + 8 + 2 + 1
        self.inp = nn.Linear(fin, d)
        self.pre = nn.Sequential(*[ResBlock(d, k, dropout=dropout) for k in step_dil])
        self.down = nn.Conv1d(d, d_beat, 4, stride=4)
        self.mid = nn.Sequential(*[ResBlock(d_beat, k, dropout=dropout) for k in beat_dil])
        self.up = nn.Conv1d(d_beat, d, 1)
        self.post = nn.Sequential(*[ResBlock(d, k, dropout=dropout) for k in post_dil])
        self.norm = ChannelNorm(d)
        self.out = nn.Conv1d(d, 4 * PITCH_COUNT, 1)

    def forward(self, melody_pitch, melody_onset, metric_pos, bar_steps, style, chord_chroma,
                chord_bass, density, known_notes, known_mask):
        B, T = melody_pitch.shape[0], melody_pitch.shape[1]
        f = self.front(melody_pitch, melody_onset, metric_pos, bar_steps, style)
        dens = density.unsqueeze(-1)
        km = known_mask.unsqueeze(-1)
        f = torch.cat([f, chord_chroma, self.bass(chord_bass.clamp(0, 12)), torch.log1p(dens),
                       dens * 0.25, km], dim=-1)
        kn = (known_notes * km.unsqueeze(-1)).reshape(B, T, 4 * PITCH_COUNT)
        x = (self.inp(f) + self.known(kn)).transpose(1, 2)      # [B,d,T]
        x = self.pre(x)
        b = self.mid(self.down(F.pad(x, (0, 3))))
        x = x + upsample4(self.up(b), T)
        x = self.post(x)
        y = self.out(F.gelu(self.norm(x)))                      # [B,4*88,T]
        return y.transpose(1, 2).reshape(B, T, 4, PITCH_COUNT)


CHORD_INPUTS = ['melody_pitch', 'melody_onset', 'metric_pos', 'bar_steps', 'style']
TEXTURE_INPUTS = CHORD_INPUTS + ['chord_chroma', 'chord_bass', 'density', 'known_notes', 'known_mask']

SIZES = {
    'chords': {'full': dict(d=128, hidden=128, layers=2), 'quick': dict(d=32, hidden=32, layers=1, d_step=16)},
    'texture': {'full': dict(d=128, d_beat=192),
                'quick': dict(d=32, d_beat=32, step_dil=(1,), beat_dil=(1, 2), post_dil=(1,))},
}


def build(kind, size='full', **over):
    cfg = dict(SIZES[kind][size])
    cfg.update(over)
    return from_config(kind, cfg), cfg


def from_config(kind, cfg):
    """The model of a saved configuration; settings it does not name take the constructor's defaults (a model
    saved before a setting existed keeps its architecture)."""
    return (ChordModel if kind == 'chords' else TextureModel)(**cfg)


def n_params(m):
    return sum(p.numel() for p in m.parameters())
