"""validate: chord accuracy (one pass; transposed; transposed and decoded; transposed, echoed and decoded as Java
does) and texture statistics of the trained checkpoints on the validation songs -> training/.cache/validation.json
(export copies it into the JSON)."""
import json
import os
import time

import torch

from .chord_decoding import PHRASE_ECHO
from .common import CACHE_DIR, load_pickle
from .export import load_checkpoint, TRANSPOSITIONS
from .prepare import cache_path
from .metrics import answers_accuracy, chord_accuracy, song_beat_log_probs, sung_answers, texture_eval
from .songs import split_songs


def validate(ckpt_dir=None, threads=2, texture_songs=12):
    torch.set_num_threads(threads)
    ckpt_dir = ckpt_dir or CACHE_DIR
    songs = load_pickle(cache_path(None))
    _, va = split_songs(songs)
    pop = [s for s in va if s['style'] == 0]
    lied = [s for s in va if s['style'] == 1]
    res = {'chords': {}, 'texture': {}}
    t = time.time()
    model, meta = load_checkpoint(os.path.join(ckpt_dir, 'chords.pt'))
    res['chords']['val_chord_acc_pop'] = round(chord_accuracy(model, pop), 4)
    whole = [(s, *song_beat_log_probs(model, s, TRANSPOSITIONS)) for s in pop]     # nine passes a song: computed once
    transposed = [sung_answers(*answers) for answers in whole]
    res['chords']['val_chord_acc_pop_transposed'] = round(answers_accuracy(transposed), 4)
    res['chords']['val_chord_acc_pop_decoded'] = round(answers_accuracy(transposed, decoded=True), 4)
    echoed = [sung_answers(*answers, echo=PHRASE_ECHO) for answers in whole]
    res['chords']['val_chord_acc_pop_echoed'] = round(answers_accuracy(echoed, decoded=True), 4)
    print(json.dumps(res['chords']), flush=True)
    res['chords']['val_chord_acc_lied_template'] = round(chord_accuracy(model, lied), 4)
    res['chords']['validation_songs'] = {'pop909': len(pop), 'lieder': len(lied)}
    model, meta = load_checkpoint(os.path.join(ckpt_dir, 'texture.pt'))
    for name, group in (('pop', pop), ('lied', lied)):
        res['texture']['sampled_' + name] = texture_eval(model, group, max_songs=texture_songs, seed=1)
    res['texture']['note'] = ('all bars unknown, one pass, true bar densities, temperature 1, the '
                              'Java decoding rule; first %d validation songs per style, first 1600 steps'
                              % texture_songs)
    res['seconds'] = round(time.time() - t, 1)
    with open(os.path.join(ckpt_dir, 'validation.json'), 'w') as f:
        json.dump(res, f, indent=1)
    print(json.dumps(res, indent=1))
    return res
