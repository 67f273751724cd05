#!/usr/bin/env python3
"""Generates the SDK's gRPC stubs (inlet/_proto/) from Inlet's own proto.

Runs Debian's protoc with grpc_python_plugin (packages protobuf-compiler and
protobuf-compiler-grpc) on api/src/main/proto/hstream/server/hstream.proto and
moves the two generated modules into the package, rewritten so that they import
each other as inlet._proto.* instead of as a top-level `hstream` package.

The output is checked in; tests/test_stubs.py regenerates it into a temporary
directory and fails when the checked-in files differ.

Usage: generate_stubs.py [--proto-root DIR] [--out DIR]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

SDK_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DEFAULT_PROTO_ROOT = os.path.join(SDK_ROOT, "..", "api", "src", "main", "proto")
DEFAULT_OUT = os.path.join(SDK_ROOT, "inlet", "_proto")
PROTO = "hstream/server/hstream.proto"
GENERATED = ("hstream_pb2.py", "hstream_pb2_grpc.py")

# (file, text protoc writes, text the package needs)
REWRITES = (
    (
        "hstream_pb2.py",
        "_builder.BuildTopDescriptorsAndMessages(DESCRIPTOR, 'hstream.server.hstream_pb2', globals())",
        "_builder.BuildTopDescriptorsAndMessages(DESCRIPTOR, 'inlet._proto.hstream_pb2', globals())",
    ),
    (
        "hstream_pb2_grpc.py",
        "from hstream.server import hstream_pb2 as hstream_dot_server_dot_hstream__pb2",
        "from inlet._proto import hstream_pb2 as hstream_dot_server_dot_hstream__pb2",
    ),
)


class GenerationError(Exception):
    pass


def find_tool(name):
    path = shutil.which(name) or os.path.join("/usr/bin", name)
    if not os.access(path, os.X_OK):
        raise GenerationError(
            "%s not found; install it with: apt-get install protobuf-compiler protobuf-compiler-grpc" % name
        )
    return path


def generate(proto_root=DEFAULT_PROTO_ROOT, out_dir=DEFAULT_OUT):
    """Writes hstream_pb2.py and hstream_pb2_grpc.py into out_dir; returns their paths."""
    proto_root = os.path.abspath(proto_root)
    if not os.path.isfile(os.path.join(proto_root, PROTO)):
        raise GenerationError("no %s under %s" % (PROTO, proto_root))
    protoc = find_tool("protoc")
    plugin = find_tool("grpc_python_plugin")
    with tempfile.TemporaryDirectory(prefix="inlet-stubs-") as tmp:
        result = subprocess.run(
            [
                protoc,
                "-I",
                proto_root,
                "--python_out=" + tmp,
                "--grpc_python_out=" + tmp,
                "--plugin=protoc-gen-grpc_python=" + plugin,
                PROTO,
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise GenerationError("protoc failed (%d): %s" % (result.returncode, result.stderr.strip()))
        os.makedirs(out_dir, exist_ok=True)
        written = []
        for name in GENERATED:
            with open(os.path.join(tmp, "hstream", "server", name), encoding="utf-8") as f:
                text = f.read()
            for file, old, new in REWRITES:
                if file == name:
                    if old not in text:
                        raise GenerationError("%s: expected line not found, protoc's output changed: %s" % (name, old))
                    text = text.replace(old, new)
            target = os.path.join(out_dir, name)
            with open(target, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            written.append(target)
        return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proto-root", default=DEFAULT_PROTO_ROOT, help="directory holding " + PROTO)
    parser.add_argument("--out", default=DEFAULT_OUT, help="where the modules go (default: inlet/_proto)")
    args = parser.parse_args(argv)
    try:
        for path in generate(args.proto_root, args.out):
            print("wrote " + os.path.relpath(path))
    except GenerationError as e:
        print("generate_stubs: " + str(e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
