"""Stubs generated from Inlet's hstream.proto by scripts/generate_stubs.py. Do not edit them by hand."""

from inlet._proto import hstream_pb2 as pb
from inlet._proto import hstream_pb2_grpc as rpc

__all__ = ["pb", "rpc"]
