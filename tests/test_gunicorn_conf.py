"""gunicorn: the app is loaded and warmed up before any worker's first request, and workers
are recycled rarely, at staggered times."""

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
        conf.warm_up()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
    for name in conf.WARM_TEMPLATES:
        assert name in loader.get_template_cache, name


def test_workers_are_forks_of_a_warmed_up_master_by_default(monkeypatch):
    monkeypatch.delenv("GUNICORN_PRELOAD", raising=False)
    monkeypatch.delenv("GUNICORN_MAX_REQUESTS", raising=False)
    conf = load_conf()
    assert conf.preload_app is True
    # At 1,000 requests/s a worker lives minutes, not seconds; restarts are staggered.
    assert conf.max_requests >= 50_000
    assert conf.max_requests_jitter >= conf.max_requests // 10
    warmed = []
    monkeypatch.setattr(conf, "warm_up", lambda: warmed.append("master"))
    conf.when_ready(server=None)
    conf.post_worker_init(worker=None)
    assert warmed == ["master"]


def test_without_preloading_each_worker_warms_itself_up(monkeypatch):
    monkeypatch.setenv("GUNICORN_PRELOAD", "0")
    conf = load_conf()
    warmed = []
    monkeypatch.setattr(conf, "warm_up", lambda: warmed.append("worker"))
    conf.when_ready(server=None)
    conf.post_worker_init(worker=None)
    assert warmed == ["worker"]
