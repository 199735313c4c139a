"""One personalisation Job in a cluster (src/main/docker/Dockerfile.training): the pieces come from the object store,
the model goes back to it, and stdout carries finetune's JSON progress lines, which train-trigger follows in the pod log.

Environment: MERLAI_S3_ENDPOINT, MERLAI_S3_REGION (default us-east-1), MERLAI_S3_BUCKET, MERLAI_S3_ACCESS_KEY,
MERLAI_S3_SECRET_KEY, MERLAI_TENANT, MERLAI_MODEL, MERLAI_STYLE (pop|lied), MERLAI_QUICK (true|false).
Layout (storage/StorageLayout.java): tenants/<tenant>/models/<model>/pieces/*.json in, the MODEL_FILES out.
"""
import os
import tempfile

from .common import MODELS_DIR
from .finetune import emit, finetune, read_pieces

MODEL_FILES = ['merlai-chords.onnx', 'merlai-chords.json', 'merlai-texture.onnx', 'merlai-texture.json',
               'merlai-downbeat.onnx', 'merlai-downbeat.json', 'MODEL_CARD.md']


def s3_client(env):
    import boto3   # Debian python3-boto3, in the training image only
    from botocore.config import Config
    return boto3.client('s3', endpoint_url=env['MERLAI_S3_ENDPOINT'], region_name=env.get('MERLAI_S3_REGION', 'us-east-1'),
                        aws_access_key_id=env['MERLAI_S3_ACCESS_KEY'], aws_secret_access_key=env['MERLAI_S3_SECRET_KEY'],
                        config=Config(s3={'addressing_style': 'path'}))


def run(env=os.environ):
    s3 = s3_client(env)
    bucket = env.get('MERLAI_S3_BUCKET', 'merlai')
    prefix = 'tenants/%s/models/%s/' % (env['MERLAI_TENANT'], env['MERLAI_MODEL'])
    with tempfile.TemporaryDirectory() as work:
        pieces = os.path.join(work, 'pieces')
        os.makedirs(pieces)
        for page in s3.get_paginator('list_objects_v2').paginate(Bucket=bucket, Prefix=prefix + 'pieces/'):
            for obj in page.get('Contents', []):
                s3.download_file(bucket, obj['Key'], os.path.join(pieces, obj['Key'].rsplit('/', 1)[1]))
        out = os.path.join(work, 'model')
        finetune(read_pieces(pieces, env.get('MERLAI_STYLE', 'pop')), out, env.get('MERLAI_STYLE', 'pop'), base_dir=MODELS_DIR,
                 size='quick' if env.get('MERLAI_QUICK') == 'true' else 'full', threads=int(env.get('MERLAI_THREADS', '2')),
                 model_id=env['MERLAI_MODEL'])
        for name in MODEL_FILES:
            s3.upload_file(os.path.join(out, name), bucket, prefix + name)


def run_cli(_args):
    try:
        run()
    except Exception as e:  # noqa: BLE001 - one machine-readable failure line, then a failed Job
        emit('failed', error='%s: %s' % (type(e).__name__, e))
        raise SystemExit(1)
