import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
# ONNX Runtime is not a Debian package; an unpacked wheel can be pointed to with MERLAI_ORT_PATH.
for p in (os.environ.get('MERLAI_ORT_PATH'), '/opt/ort'):
    if p and os.path.isdir(p) and p not in sys.path:
        sys.path.append(p)
