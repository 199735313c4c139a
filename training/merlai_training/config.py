"""The settings more than one step of training reads, in one place, each with its unit in its name."""

# The grid every model sees: 16th notes.
STEPS_PER_QUARTER = 4

# The piano's range (MIDI note numbers): the pitches the texture model plays, and what transposition keeps a melody in.
LOWEST_PITCH = 21
HIGHEST_PITCH = 108
PITCH_COUNT = HIGHEST_PITCH - LOWEST_PITCH + 1

# Every exported model's ONNX opset (ONNX Runtime 1.21 in the arranger reads up to 21).
ONNX_OPSET = 17

# Pre-training (train.py), per model kind and size: the window cut from a song, in grid steps, the songs per batch
# and the peak learning rate of the schedule (warm-up, then cosine down to 5% of the peak).
PRETRAINING = {
    ('chords', 'full'): dict(window_steps=1024, batch_songs=16, learning_rate=2e-3),
    ('chords', 'quick'): dict(window_steps=512, batch_songs=8, learning_rate=3e-3),
    ('texture', 'full'): dict(window_steps=256, batch_songs=16, learning_rate=1.5e-3),
    ('texture', 'quick'): dict(window_steps=128, batch_songs=8, learning_rate=3e-3),
}
WARMUP_FRACTION = 0.03          # of the run, from 0 to the peak learning rate
WEIGHT_DECAY = 0.01             # AdamW's, pre-training and fine-tuning
GRADIENT_CLIP_NORM = 1.0
CHORD_GROUP_LOSS = 0.5          # weight of the root + maj/min group's cross-entropy in the chord loss (losses.chord_loss)
CHORD_POP_WEIGHT = 0.75         # share of the chord model's training draws from POP909 songs
TEXTURE_POP_WEIGHT = 0.6        # share of the texture model's training draws from POP909 songs
LABEL_SMOOTHING = 0.05          # of the chord model's cross-entropy

# Fine-tuning a composer's model (finetune.py), per size; "quick" is for CI: a handful of optimizer steps, same
# architecture.
FINETUNING = {
    'full': {'chords': dict(optimizer_steps=80, batch_songs=8, window_steps=512, learning_rate=3e-4),
             'texture': dict(optimizer_steps=100, batch_songs=8, window_steps=256, learning_rate=1e-4),
             'eval_every_steps': 20},
    'quick': {'chords': dict(optimizer_steps=4, batch_songs=2, window_steps=128, learning_rate=3e-4),
              'texture': dict(optimizer_steps=4, batch_songs=2, window_steps=64, learning_rate=3e-4),
              'eval_every_steps': 2},
}
# Early stopping keeps a later state only when the held-out loss is this much (relatively) lower: with a few held-out
# pieces, smaller differences are noise.
MIN_RELATIVE_IMPROVEMENT = 0.005
