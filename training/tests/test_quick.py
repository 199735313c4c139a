import json
import os

import onnx
import pytest

from merlai_training.common import DEFAULT_DATA


@pytest.mark.skipif(not os.path.isdir(os.path.join(DEFAULT_DATA, 'pop909')), reason='shared data not present')
def test_quick_pipeline(tmp_path):
    from merlai_training.train import quick
    quick(DEFAULT_DATA, str(tmp_path), seconds=3, limit=6)
    for name in ('merlai-chords', 'merlai-texture', 'merlai-downbeat'):
        onnx.checker.check_model(onnx.load(str(tmp_path / (name + '.onnx'))))
        meta = json.load(open(tmp_path / (name + '.json')))
        assert meta['trained']['size'] == 'quick'
