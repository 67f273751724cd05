"""Test support: a real Inlet node in a subprocess, and helpers for asyncio tests.

How the node is started, first match wins:

- ``INLET_SERVER_CMD``: a command line (shell words) that runs ``inlet server``-style
  arguments, e.g. ``"/opt/inlet/inlet server"``;
- ``INLET_CLASSPATH`` (and optionally ``INLET_JAVA``, else ``java`` on the PATH):
  ``java -cp $INLET_CLASSPATH io.inlet.cli.InletCli server`` -- what the Java
  integration test (PythonSdkIT) sets;
- otherwise the repository's ``./inlet server`` launcher (builds the distribution first).

Each node gets a temporary data dir and ``--grpc-port 0 --http-port 0 --port-file``;
its output goes to ``<tmp>/inlet-N.log`` and is printed when it fails to start.
"""

import asyncio
import functools
import json
import os
import shlex
import shutil
import signal
import subprocess
import time

SDK_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
REPO_ROOT = os.path.dirname(SDK_ROOT)

#: Seconds a node may take to start; the ./inlet fallback may first build the distribution.
START_TIMEOUT = float(os.environ.get("INLET_START_TIMEOUT", "0")) or None
STOP_TIMEOUT = 30.0


def server_command():
    """The command (a list) that starts a node, before its arguments."""
    if os.environ.get("INLET_SERVER_CMD"):
        return shlex.split(os.environ["INLET_SERVER_CMD"])
    classpath = os.environ.get("INLET_CLASSPATH")
    if classpath:
        java = os.environ.get("INLET_JAVA") or shutil.which("java") or "java"
        return [java, "-Xmx256m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                "io.inlet.cli.InletCli", "server"]
    return [os.path.join(REPO_ROOT, "inlet"), "server"]


class InletNode:
    """One Inlet server process; :meth:`restart` keeps its data dir and gRPC port."""

    _count = 0

    def __init__(self, work_dir, extra_args=()):
        InletNode._count += 1
        self.extra_args = list(extra_args)  # more ``inlet server`` flags, e.g. TLS settings
        self.name = "inlet-%d" % InletNode._count
        self.work_dir = work_dir
        self.data_dir = os.path.join(work_dir, self.name + "-data")
        self.log_path = os.path.join(work_dir, self.name + ".log")
        self.port_file = os.path.join(work_dir, self.name + ".ports.json")
        self.process = None
        self.port = 0
        self.host = "127.0.0.1"

    @property
    def address(self):
        return "%s:%d" % (self.host, self.port)

    def start(self, grpc_port=0):
        if os.path.exists(self.port_file):
            os.remove(self.port_file)
        command = server_command() + [
            "--data-dir", self.data_dir,
            "--grpc-port", str(grpc_port),
            "--http-port", "0",
            "--port-file", self.port_file,
        ] + self.extra_args
        log = open(self.log_path, "ab")
        try:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
                                            stdin=subprocess.DEVNULL)
        finally:
            log.close()
        timeout = START_TIMEOUT or (300 if command[0].endswith("inlet") else 120)
        deadline = time.monotonic() + timeout
        while True:
            if os.path.exists(self.port_file):
                try:
                    with open(self.port_file) as f:
                        ports = json.load(f)
                    break
                except ValueError:
                    pass  # being written
            if self.process.poll() is not None:
                raise RuntimeError("inlet exited with %d before it was ready:\n%s" % (self.process.returncode, self.output()))
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("inlet not ready within %ds:\n%s" % (timeout, self.output()))
            time.sleep(0.05)
        self.port = int(ports["grpcPort"])
        self.host = ports.get("advertisedAddress") or "127.0.0.1"
        return self

    def stop(self):
        """SIGTERM, then waits for the process to exit."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            raise RuntimeError("inlet did not stop within %ds after SIGTERM" % STOP_TIMEOUT)

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(STOP_TIMEOUT)

    def restart(self):
        """Stops the node and starts it again on the same data dir and gRPC port."""
        self.stop()
        return self.start_again()

    def start_again(self):
        """Starts the stopped node on its data dir and gRPC port."""
        deadline = time.monotonic() + 30
        while True:
            try:
                return self.start(grpc_port=self.port)
            except RuntimeError as e:
                # The port may linger for a moment after the old process exits.
                if "in use" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def output(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()[-20000:]
        except OSError:
            return ""


def skip_or_fail(message):
    """Skips the test for a missing tool, unless INLET_IT_REQUIRE_SERVICES=true (CI): then fails."""
    import pytest

    if os.environ.get("INLET_IT_REQUIRE_SERVICES", "").lower() == "true":
        pytest.fail(message + " (INLET_IT_REQUIRE_SERVICES=true turns this skip into a failure)")
    pytest.skip(message)


def connect(node, **options):
    """An insecure client of ``node`` (await it); short retries unless told otherwise."""
    import inlet

    options.setdefault("retry_timeout", 20)
    return inlet.insecure_client(node.host, node.port, **options)


def run_async(fn):
    """Runs an ``async def`` test in a fresh event loop (pytest-asyncio is not needed)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(asyncio.wait_for(fn(*args, **kwargs), TEST_TIMEOUT))

    return wrapper


#: No single test may take longer than this many seconds.
TEST_TIMEOUT = 60


async def eventually(predicate, timeout=15.0, interval=0.02, message="condition"):
    """Waits until ``predicate()`` (sync or async) is true; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("%s not met within %.1fs" % (message, timeout))
        await asyncio.sleep(interval)
