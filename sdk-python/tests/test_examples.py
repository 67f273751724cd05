"""Every example under examples/ runs to the end against a live node."""

import asyncio
import os
import sys

import grpc
import pytest

from front_node import FrontNode
from support import SDK_ROOT, run_async
from test_cluster import read, tls_files  # noqa: F401 - the certificate fixture

EXAMPLES = os.path.join(SDK_ROOT, "examples")
PLAIN = sorted(f for f in os.listdir(EXAMPLES) if f.endswith(".py") and f != "tls.py")


async def run_example(name, *args):
    env = dict(os.environ, PYTHONPATH=SDK_ROOT)
    process = await asyncio.create_subprocess_exec(
        sys.executable, os.path.join(EXAMPLES, name), *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, env=env,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), 50)
    except asyncio.TimeoutError:
        process.kill()
        raise
    text = output.decode(errors="replace")
    assert process.returncode == 0, "%s exited with %d:\n%s" % (name, process.returncode, text)
    return text


def test_every_example_is_tested():
    assert PLAIN and "tls.py" in os.listdir(EXAMPLES)


@pytest.mark.parametrize("example", PLAIN)
@run_async
async def test_example_runs(node, example):
    output = await run_example(example, "--host", node.host, "--port", str(node.port))
    assert output.strip()


@run_async
async def test_tls_example_runs(node, tls_files):  # noqa: F811
    key, cert = read(tls_files["key"]), read(tls_files["cert"])
    tls = grpc.ssl_server_credentials([(key, cert)], root_certificates=cert, require_client_auth=True)
    async with FrontNode(node.address, advertise="self", server_credentials=tls) as front:
        output = await run_example("tls.py", "--host", "127.0.0.1", "--port", str(front.port),
                                   "--ca", tls_files["cert"], "--cert", tls_files["cert"], "--key", tls_files["key"])
    assert "over TLS: node 7 at 127.0.0.1:%d" % front.port in output
