"""Building and decoding record batches, with their compression.

A batch (``BatchedRecord``) carries a serialized ``BatchHStreamRecords``,
compressed with gzip or zstd when the batch says so. Raw payloads (``bytes``,
``str``) become RAW records; ``dict`` payloads become JSON records holding a
serialized ``google.protobuf.Struct`` (JSON numbers come back as floats, as
with every HStreamDB client).
"""

import gzip
from typing import Any, Iterable, List, Mapping, Optional, Tuple

from google.protobuf import json_format, struct_pb2, timestamp_pb2

from inlet._proto import pb
from inlet.errors import CompressionUnavailableError, DecodeError, InletError
from inlet.types import CompressionType, Record, RecordHeader, RecordId, RecordType, _timestamp

_ZSTD_HINT = (
    "zstd compression needs the Python module 'zstandard', which is not installed "
    "(apt-get install python3-zstandard, or pip install zstandard); use compresstype='gzip' instead"
)

_WIRE = {
    CompressionType.NONE: pb.CompressionType.Value("None"),
    CompressionType.GZIP: pb.Gzip,
    CompressionType.ZSTD: pb.Zstd,
}


def compression(value) -> CompressionType:
    """The compression a user named: None, "none", "gzip", "zstd" or a CompressionType."""
    if value is None:
        return CompressionType.NONE
    if isinstance(value, CompressionType):
        return value
    if isinstance(value, str):
        try:
            return CompressionType(value.lower())
        except ValueError:
            pass
    raise ValueError("compresstype must be None, 'gzip' or 'zstd', found: %r" % (value,))


def _zstandard():
    try:
        import zstandard  # optional: only needed for zstd batches
    except ImportError:
        raise CompressionUnavailableError(_ZSTD_HINT) from None
    return zstandard


def require_available(kind: CompressionType) -> None:
    """Fails early, with a clear message, when ``kind`` cannot be used here."""
    if kind == CompressionType.ZSTD:
        _zstandard()


def encode_payload(payload: Any) -> Tuple[int, bytes]:
    """(header flag, payload bytes) of a user's payload."""
    if isinstance(payload, (bytes, bytearray, memoryview)):
        return pb.HStreamRecordHeader.RAW, bytes(payload)
    if isinstance(payload, str):
        return pb.HStreamRecordHeader.RAW, payload.encode("utf-8")
    if isinstance(payload, Mapping):
        struct = struct_pb2.Struct()
        try:
            struct.update(payload)
        except (ValueError, TypeError) as e:
            raise TypeError("a JSON record must hold JSON values only: %s" % e) from None
        return pb.HStreamRecordHeader.JSON, struct.SerializeToString()
    raise TypeError("a payload is bytes, str (raw records) or dict (a JSON record), found: %s" % type(payload).__name__)


def make_record(payload: Any, key: str, attributes: Optional[Mapping[str, str]] = None):
    flag, body = encode_payload(payload)
    header = pb.HStreamRecordHeader(flag=flag, key=key, attributes=dict(attributes or {}))
    return pb.HStreamRecord(header=header, payload=body)


def build_batch(records: List["pb.HStreamRecord"], kind: CompressionType, level: int = 1):
    plain = pb.BatchHStreamRecords(records=records).SerializeToString()
    if kind == CompressionType.GZIP:
        data = gzip.compress(plain, compresslevel=level)
    elif kind == CompressionType.ZSTD:
        data = _zstandard().ZstdCompressor(level=level).compress(plain)
    else:
        data = plain
    published = timestamp_pb2.Timestamp()
    published.GetCurrentTime()
    return pb.BatchedRecord(compressionType=_WIRE[kind], publishTime=published, batchSize=len(records), payload=data)


def _decompress(batch) -> bytes:
    kind = batch.compressionType
    if kind == pb.Gzip:
        try:
            return gzip.decompress(batch.payload)
        except (OSError, EOFError) as e:
            raise DecodeError("a gzip batch could not be decompressed: %s" % e) from None
    if kind == pb.Zstd:
        zstandard = _zstandard()
        try:
            # Frames written without their content size need the streaming reader.
            return zstandard.ZstdDecompressor().decompressobj().decompress(batch.payload)
        except zstandard.ZstdError as e:
            raise DecodeError("a zstd batch could not be decompressed: %s" % e) from None
    return batch.payload


def _decode_payload(record) -> Any:
    if record.header.flag == pb.HStreamRecordHeader.JSON:
        struct = struct_pb2.Struct()
        try:
            struct.ParseFromString(record.payload)
        except Exception as e:  # noqa: BLE001 - protobuf's DecodeError differs by implementation
            raise DecodeError("a JSON record does not hold a google.protobuf.Struct: %s" % e) from None
        return json_format.MessageToDict(struct)
    return record.payload


def decode_received(received) -> List[Record]:
    """The records of a ``ReceivedRecord``; the i-th record id names the i-th record of the batch."""
    batch = received.record
    try:
        records = pb.BatchHStreamRecords.FromString(_decompress(batch)).records
    except InletError:
        raise
    except Exception as e:  # noqa: BLE001 - see above
        raise DecodeError("a batch does not hold BatchHStreamRecords: %s" % e) from None
    ids = [RecordId._from_pb(i) for i in received.recordIds]
    if len(ids) == len(records):
        pairs = zip(ids, records)
    else:
        # Some servers send the whole batch with the ids of a part of it: pick by index.
        if any(i.batch_index >= len(records) for i in ids):
            raise DecodeError("record ids %s do not fit a batch of %d records" % (ids, len(records)))
        pairs = ((i, records[i.batch_index]) for i in ids)
    published = _timestamp(batch.publishTime) if batch.HasField("publishTime") else None
    out = []
    for record_id, r in pairs:
        header = RecordHeader(
            RecordType(r.header.flag) if r.header.flag in (0, 1) else RecordType.RAW,
            r.header.key,
            dict(r.header.attributes),
            published,
        )
        out.append(Record(record_id, header, _decode_payload(r)))
    return out


def decode_all(received: Iterable) -> List[Record]:
    out = []
    for r in received:
        out.extend(decode_received(r))
    return out


def payload_size(payload: Any) -> int:
    """Bytes a payload takes in a batch, for the producer's size trigger."""
    if isinstance(payload, (bytes, bytearray, memoryview)):
        return len(payload)
    if isinstance(payload, str):
        return len(payload.encode("utf-8"))
    return len(encode_payload(payload)[1])
