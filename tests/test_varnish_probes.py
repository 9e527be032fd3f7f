"""How the shipped Varnish (deploy/varnish/default.vcl, scripts/varnish-backends.sh) judges web
nodes by their health probe, with a real varnishd in front of small stand-in nodes.

A sync gunicorn worker takes the probe after the request it is on. With a 1 s probe timeout, a
worker busy for a second when two probes came (a comment post or a cold page on a loaded
machine) made the node "sick", and a site of one node answered every reader 503 "Backend fetch
failed" while Django was merely slow. Skipped, saying so, without varnishd.
"""

import http.server
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.webnodes import VARNISHD, free_ports

pytestmark = pytest.mark.skipif(
    VARNISHD is None, reason="needs varnishd (Debian package varnish; .ci/run installs it)"
)

ROOT = Path(__file__).resolve().parents[1]


class Node:
    """A stand-in web node: ``/-/health`` answers ``probe_status`` after ``probe_seconds``,
    every other address answers 200 with the node's name."""

    def __init__(self, name, probe_seconds=0.0, probe_status=200):
        self.probes_answered = 0
        node = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/-/health":
                    time.sleep(probe_seconds)
                    node.probes_answered += 1  # Varnish may have given up waiting
                    self.answer(probe_status, b"ok\n")
                else:
                    self.answer(200, name.encode())

            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                self.answer(200, name.encode())

            def answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for_probes(self, count, timeout=30):
        """Wait until Varnish has had ``count`` answers from this node (and judged the last)."""
        deadline = time.monotonic() + timeout
        while self.probes_answered < count:
            assert time.monotonic() < deadline, f"{self.probes_answered} probes in {timeout} s"
            time.sleep(0.05)
        time.sleep(0.3)


@pytest.fixture
def varnish():
    """Start varnishd with the shipped VCL in front of the given node addresses; return its
    address."""
    workdir = Path(tempfile.mkdtemp(prefix="nervepain-probes-"))
    workdir.chmod(0o755)  # varnishd's child runs as its own user
    started = []

    def start(*nodes):
        backends = subprocess.run(
            [str(ROOT / "scripts/varnish-backends.sh"), *nodes],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        (workdir / "backends.vcl").write_text(backends)
        (port,) = free_ports(1)
        started.append(
            subprocess.Popen(
                [VARNISHD, "-F", "-a", f"127.0.0.1:{port}", "-n", str(workdir / "varnish"),
                 "-s", "malloc,16m", "-f", str(ROOT / "deploy/varnish/default.vcl"),
                 "-p", f"vcl_path={workdir}:{ROOT / 'deploy/varnish'}"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return f"http://127.0.0.1:{port}"
            except OSError:
                assert started[0].poll() is None, "varnishd stopped"
                assert time.monotonic() < deadline, "varnishd is not listening"
                time.sleep(0.1)

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)


def fetch(url, data=None):
    try:
        with urllib.request.urlopen(url, data=data, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.reason


def test_a_node_slow_to_answer_its_probe_stays_in_and_a_down_one_goes_out(varnish):
    """A node whose worker takes 1.5 s to get to the probe is busy, not down: it keeps its
    readers. A node that is down (nothing listening) leaves the round robin: no reader is
    sent there to get a 503."""
    busy = Node("busy", probe_seconds=1.5)
    (down_port,) = free_ports(1)
    front = varnish(busy.address, f"127.0.0.1:{down_port}")
    busy.wait_for_probes(2)  # at 1 s, two probes out of three late: sick

    assert [fetch(f"{front}/page/{i}") for i in range(4)] == [(200, "busy")] * 4


def test_when_every_node_fails_its_probe_readers_still_reach_them(varnish):
    """A site whose every node fails its probe (here the only one; under load, a probe that
    waited past its timeout) still sends readers and their posts to the nodes, where Varnish
    answered 503 "Backend fetch failed" at once."""
    node = Node("only", probe_status=500)
    front = varnish(node.address)
    node.wait_for_probes(2)  # two probes out of three failed: sick

    assert fetch(f"{front}/page") == (200, "only")
    assert fetch(f"{front}/comments/post/", data=b"comment=Hello") == (200, "only")
