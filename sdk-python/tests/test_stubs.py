"""The checked-in stubs are what scripts/generate_stubs.py makes from the current proto."""

import filecmp
import importlib.util
import os
import shutil
import tempfile

import pytest

from support import SDK_ROOT, skip_or_fail

SCRIPT = os.path.join(SDK_ROOT, "scripts", "generate_stubs.py")
CHECKED_IN = os.path.join(SDK_ROOT, "inlet", "_proto")


def load_generator():
    spec = importlib.util.spec_from_file_location("generate_stubs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tools_missing():
    return [t for t in ("protoc", "grpc_python_plugin") if not (shutil.which(t) or os.access("/usr/bin/" + t, os.X_OK))]


def test_checked_in_stubs_match_the_proto():
    missing = tools_missing()
    if missing:
        skip_or_fail("needs %s (apt-get install protobuf-compiler protobuf-compiler-grpc)" % ", ".join(missing))
    generator = load_generator()
    with tempfile.TemporaryDirectory() as out:
        generator.generate(out_dir=out)
        stale = [
            name for name in generator.GENERATED
            if not filecmp.cmp(os.path.join(out, name), os.path.join(CHECKED_IN, name), shallow=False)
        ]
    assert not stale, (
        "inlet/_proto/%s differ from the proto; regenerate with: python3 sdk-python/scripts/generate_stubs.py"
        % ", ".join(stale)
    )


def test_generator_reports_a_missing_proto_clearly(tmp_path):
    generator = load_generator()
    with pytest.raises(generator.GenerationError, match="no hstream/server/hstream.proto under"):
        generator.generate(proto_root=str(tmp_path), out_dir=str(tmp_path / "out"))


def test_stubs_import_as_part_of_the_package():
    from inlet._proto import pb, rpc

    assert pb.AppendRequest.DESCRIPTOR.full_name == "hstream.server.AppendRequest"
    assert hasattr(rpc, "HStreamApiStub")
