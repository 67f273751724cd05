"""`pip install ./sdk-python` works offline where grpcio and protobuf are installed."""

import os
import shutil
import subprocess
import sys

from support import SDK_ROOT, skip_or_fail

VENV_HINT = "needs the venv module with pip (Debian: apt-get install python3-venv python3-setuptools python3-wheel)"


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, "%s failed (%d):\n%s\n%s" % (command, result.returncode, result.stdout, result.stderr)
    return result.stdout


def test_pip_install_offline_in_a_venv_then_use_it(tmp_path, node):
    venv = tmp_path / "venv"
    created = subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                             capture_output=True, text=True)
    if created.returncode != 0:
        skip_or_fail("%s: %s" % (VENV_HINT, created.stderr.strip()[-300:]))
    python = str(venv / "bin" / "python")
    # Installs from a copy, so that the build leaves nothing in the source tree.
    source = tmp_path / "sdk-python"
    shutil.copytree(SDK_ROOT, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "tests"))
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONPATH="")
    run([python, "-m", "pip", "install", "--no-index", "--no-build-isolation", "--quiet", str(source)], env=env)

    script = (
        "import asyncio, inlet\n"
        "async def main():\n"
        "    async with await inlet.insecure_client(%r, %d) as c:\n"
        "        print(inlet.__file__)\n"
        "        print(len((await c.describe_cluster()).nodes))\n"
        "asyncio.run(main())\n" % (node.host, node.port)
    )
    out = run([python, "-c", script], cwd=str(tmp_path), env=env).split()
    assert out[0].startswith(str(venv)), "imported from the venv, not the source tree: %s" % out[0]
    assert out[1] == "1"
    assert "inlet" in run([python, "-m", "pip", "show", "inlet"], env=env)
