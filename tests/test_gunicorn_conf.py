"""Each gunicorn worker warms up before its first request."""

import gc
import importlib.util
from pathlib import Path

from django.template import engines

CONF = Path(__file__).resolve().parents[1] / "nervepain" / "gunicorn_conf.py"


def load_conf():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_worker_compiles_reader_templates_and_freezes_what_it_loaded():
    conf = load_conf()
    loader = engines["django"].engine.template_loaders[0]  # the cached loader (debug off)
    loader.reset()
    gc.unfreeze()
    try:
        conf.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
    for name in conf.WARM_TEMPLATES:
        assert name in loader.get_template_cache, name
