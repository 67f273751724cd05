"""Fixtures: real Inlet nodes (see support.py for how they are started)."""

import os
import shutil
import sys
import tempfile
import uuid

import pytest

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from support import InletNode  # noqa: E402


@pytest.fixture(scope="session")
def work_dir():
    path = tempfile.mkdtemp(prefix="inlet-sdk-tests-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def node(work_dir):
    """A node shared by the tests that do not stop it."""
    n = InletNode(work_dir).start()
    yield n
    n.stop()


@pytest.fixture
def private_node(work_dir):
    """A node of the test's own, for tests that stop or restart it."""
    n = InletNode(work_dir).start()
    yield n
    n.kill()


@pytest.fixture
def names():
    """Unique resource names for one test: names("stream") -> "stream_1a2b3c4d"."""
    suffix = uuid.uuid4().hex[:8]
    return lambda prefix: "%s_%s" % (prefix, suffix)


