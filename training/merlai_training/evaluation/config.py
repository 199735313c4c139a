"""Every constant of the arranger evaluation (issues 17 and 18), in one place."""
import os

from ..common import REPO_ROOT
from ..config import LOWEST_PITCH, PITCH_COUNT  # noqa: F401  (the piano range, as the eval's validity check)

# The shared harness (../shared/eval) defines the grid, the melody matching and the overlapped area;
# this package reuses its definitions instead of restating them.
SHARED_EVAL_DIR = os.environ.get('MERLAI_EVAL') or os.path.normpath(os.path.join(REPO_ROOT, '..', 'shared', 'eval'))

DRUM_CHANNEL = 9                 # MIDI channel 10

# Two-bar classifier
WINDOW_STEPS = 32                # two 4/4 bars of 16ths; shorter windows are padded, longer ones cut
CLASSIFIER_FOLDS = 5
CLASSIFIER_STEPS = 600           # Adam steps per fold, whatever the song count (at 200: POP909 0.83, not 0.93)
CLASSIFIER_BATCH = 64
CLASSIFIER_LEARNING_RATE = 2e-3
CLASSIFIER_WINDOWS_PER_SONG = 24  # per side, evenly spread over the song (bounds the run time on 2 cores)
CLASSIFIER_SEED = 0

# Dynamics: only POP909's references are performed (the Lieder references are engraved at one velocity)
DYNAMICS_SETS = ('pop909',)

# Repeats and ending
OUTRO_MIN_BARS = 1.0             # accompaniment lasting more than this many bars after the last melody note = an outro

# Drums (issue 18): GMD's TD-11 notes -> kit pieces, as in Gillick et al. 2019 (GM numbers included)
DRUM_PIECES = {
    'kick': (35, 36),
    'snare': (37, 38, 40),
    'hihat': (22, 26, 42, 44, 46),
    'tom': (41, 43, 45, 47, 48, 50, 58),
    'cymbal': (49, 51, 52, 53, 55, 57, 59),
}
# Merlai's style -> the GMD styles (the part before '/') whose validation performances it is compared with.
# GMD's validation split has 5 pop grooves and no pop fill, so pop is measured against pop and rock.
GMD_STYLES = {'pop': ('pop', 'rock')}
GMD_SPLIT = 'validation'         # never the held-back test split
