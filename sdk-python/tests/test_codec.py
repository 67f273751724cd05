"""Records, compression, key routing, offsets and error mapping, without a server."""

import datetime
import gzip
import hashlib
import sys

import grpc
import pytest

import inlet
from inlet import records as codec
from inlet._proto import pb
from inlet.errors import from_rpc_error
from inlet.routing import KEY_SPACE, ShardMap, key_hash
from inlet.types import _shard_offset


def received(batch, ids):
    return pb.ReceivedRecord(record=batch, recordIds=[i._to_pb() for i in ids])


def roundtrip(payloads, kind, key="k"):
    records = [codec.make_record(p, key, {"a": "b"}) for p in payloads]
    batch = codec.build_batch(records, codec.compression(kind))
    ids = [inlet.RecordId(1, 5, i) for i in range(len(records))]
    return batch, codec.decode_received(received(batch, ids))


@pytest.mark.parametrize("kind", [None, "gzip"])
def test_raw_str_and_dict_payloads_come_back_as_bytes_and_dicts(kind):
    batch, out = roundtrip([b"\x00\xffraw", "text \u00b0C", {"t": 21.5, "tags": ["a", None, True], "n": {}}], kind)
    assert [r.payload for r in out] == [b"\x00\xffraw", "text \u00b0C".encode(), {"t": 21.5, "tags": ["a", None, True], "n": {}}]
    assert [r.header.flag for r in out] == [inlet.RecordType.RAW, inlet.RecordType.RAW, inlet.RecordType.JSON]
    assert all(r.key == "k" and r.header.attributes == {"a": "b"} for r in out)
    assert [str(r.id) for r in out] == ["1-5-0", "1-5-1", "1-5-2"]
    assert batch.batchSize == 3


def test_gzip_batches_hold_gzip_data():
    batch, _ = roundtrip([b"x" * 1000], "gzip")
    assert batch.compressionType == pb.Gzip
    assert len(batch.payload) < 200
    pb.BatchHStreamRecords.FromString(gzip.decompress(batch.payload))


def test_zstd_roundtrip_when_zstandard_is_installed():
    pytest.importorskip("zstandard")
    batch, out = roundtrip([b"y" * 1000, {"k": "v"}], "zstd")
    assert batch.compressionType == pb.Zstd
    assert [r.payload for r in out] == [b"y" * 1000, {"k": "v"}]


def test_zstd_without_zstandard_fails_with_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "zstandard", None)  # makes `import zstandard` fail
    with pytest.raises(inlet.CompressionUnavailableError, match="needs the Python module 'zstandard'"):
        codec.require_available(inlet.CompressionType.ZSTD)
    with pytest.raises(inlet.CompressionUnavailableError):
        codec.build_batch([codec.make_record(b"x", "")], inlet.CompressionType.ZSTD)
    zstd_batch = pb.BatchedRecord(compressionType=pb.Zstd, batchSize=1, payload=b"\x28\xb5\x2f\xfd")
    with pytest.raises(inlet.CompressionUnavailableError):
        codec.decode_received(received(zstd_batch, [inlet.RecordId(1, 1, 0)]))


def test_unknown_compression_and_payload_types_are_rejected():
    with pytest.raises(ValueError, match="compresstype must be"):
        codec.compression("lz4")
    with pytest.raises(TypeError, match="bytes, str .* or dict"):
        codec.encode_payload(42)
    with pytest.raises(TypeError, match="JSON values"):
        codec.encode_payload({"x": object()})


def test_ids_of_part_of_a_batch_pick_records_by_index():
    records = [codec.make_record(p, "") for p in (b"a", b"b", b"c")]
    batch = codec.build_batch(records, inlet.CompressionType.NONE)
    out = codec.decode_received(received(batch, [inlet.RecordId(3, 9, 2)]))
    assert [(str(r.id), r.payload) for r in out] == [("3-9-2", b"c")]


def test_a_corrupt_batch_is_a_decode_error():
    bad = pb.BatchedRecord(compressionType=pb.Gzip, batchSize=1, payload=b"not gzip")
    with pytest.raises(inlet.DecodeError, match="gzip"):
        codec.decode_received(received(bad, [inlet.RecordId(1, 1, 0)]))


def test_key_hash_is_md5_as_an_unsigned_big_endian_integer():
    assert key_hash("") == int("d41d8cd98f00b204e9800998ecf8427e", 16)
    assert key_hash("\u6e29\u5ea6") == int(hashlib.md5("\u6e29\u5ea6".encode()).hexdigest(), 16)


def test_shard_map_finds_the_shard_whose_inclusive_range_holds_the_key():
    half = KEY_SPACE // 2
    shards = [
        inlet.Shard(2, "s", half, KEY_SPACE - 1),
        inlet.Shard(1, "s", 0, half - 1),
        inlet.Shard(9, "s", 0, KEY_SPACE - 1, is_active=False),
    ]
    shard_map = ShardMap("s", shards)
    for key in ["", "a", "sensor-1", "device/42", "\u6e29\u5ea6-7"]:
        expected = 1 if key_hash(key) < half else 2
        assert shard_map.shard_for(key).shard_id == expected
    with pytest.raises(inlet.InletError, match="no shard"):
        ShardMap("s", [inlet.Shard(1, "s", 0, 10)]).shard_for("a")


def test_record_ids_print_and_parse_as_shard_batch_index():
    rid = inlet.RecordId.parse("12-345-6")
    assert rid == inlet.RecordId(12, 345, 6) and str(rid) == "12-345-6"
    assert sorted([inlet.RecordId(1, 2, 1), inlet.RecordId(1, 1, 9)])[0] == inlet.RecordId(1, 1, 9)
    with pytest.raises(ValueError):
        inlet.RecordId.parse("1-2")


def test_offsets_convert_to_shard_offsets():
    assert _shard_offset(inlet.SpecialOffset.LATEST).specialOffset == pb.LATEST
    assert _shard_offset(inlet.RecordId(1, 2, 3)).recordOffset.batchId == 2
    when = datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)
    assert _shard_offset(when).timestampOffset.timestampInMs == int(when.timestamp() * 1000)
    legacy = inlet.ShardOffset()
    legacy.specialOffset = inlet.SpecialOffset.EARLIEST
    assert _shard_offset(legacy) is legacy
    with pytest.raises(TypeError):
        _shard_offset("earliest")


class FakeRpcError(grpc.RpcError):
    def __init__(self, status, details):
        self._status, self._details = status, details

    def code(self):
        return self._status

    def details(self):
        return self._details


@pytest.mark.parametrize(
    "status,code,cls",
    [
        (grpc.StatusCode.NOT_FOUND, 200, inlet.StreamNotFoundError),
        (grpc.StatusCode.NOT_FOUND, 300, inlet.SubscriptionNotFoundError),
        (grpc.StatusCode.ALREADY_EXISTS, 201, inlet.StreamExistsError),
        (grpc.StatusCode.ALREADY_EXISTS, 301, inlet.SubscriptionExistsError),
        (grpc.StatusCode.FAILED_PRECONDITION, 202, inlet.StreamHasSubscriptionsError),
        (grpc.StatusCode.FAILED_PRECONDITION, 305, inlet.SubscriptionHasConsumersError),
        (grpc.StatusCode.FAILED_PRECONDITION, 302, inlet.SubscriptionStreamNotFoundError),
        (grpc.StatusCode.NOT_FOUND, 900, inlet.ShardReaderNotFoundError),
        (grpc.StatusCode.ALREADY_EXISTS, 900, inlet.ShardReaderExistsError),
        (grpc.StatusCode.INVALID_ARGUMENT, 205, inlet.InvalidArgumentError),
        (grpc.StatusCode.UNAVAILABLE, 0, inlet.UnavailableError),
        (grpc.StatusCode.UNIMPLEMENTED, 0, inlet.UnimplementedError),
        (grpc.StatusCode.INTERNAL, 0, inlet.InternalServerError),
    ],
)
def test_status_and_error_code_pick_the_exception(status, code, cls):
    error = from_rpc_error(FakeRpcError(status, '{"error":%d,"message":"it went wrong"}' % code))
    assert type(error) is cls
    assert error.message == "it went wrong" and error.details() == "it went wrong"
    assert error.code() == status and error.error_code == code
    assert isinstance(error, grpc.RpcError) and isinstance(error, inlet.InletError)
    assert error.retriable == (cls is inlet.UnavailableError)


def test_details_that_are_not_json_are_the_message():
    error = from_rpc_error(FakeRpcError(grpc.StatusCode.UNAVAILABLE, "failed to connect to all addresses"))
    assert isinstance(error, inlet.UnavailableError) and error.error_code is None
    assert str(error) == "failed to connect to all addresses (UNAVAILABLE)"
