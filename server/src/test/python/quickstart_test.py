#!/usr/bin/env python3
"""HStreamDB quick-start, as the Python client does it, against a running Inlet node.

The official `hstreamdb` package is not needed: this script uses plain grpcio and
protobuf (Debian: python3-grpcio, python3-protobuf) and generates the stubs from
Inlet's own proto with protoc + grpc_python_plugin (Debian: protobuf-compiler,
protobuf-compiler-grpc) into a temporary directory. It then does what the
client's quick start does -- create a stream, append raw and JSON records
(uncompressed and gzip) to the shard each key hashes to, consume them through a
subscription with acks, read them back with a shard reader -- and checks every
answer the way a client would rely on it.

Usage: quickstart_test.py --server HOST:PORT [--proto-root DIR]
Prints one line per check and a closing "N passed, M failed"; exits 1 on any
failure, 2 when it cannot run at all.
"""

import argparse
import gzip
import hashlib
import importlib
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
DEFAULT_PROTO_ROOT = os.path.join(REPO_ROOT, "api", "src", "main", "proto")
KEY_SPACE = 1 << 128
# A record without a partition key carries the empty key and is routed by md5(""), as the
# HStreamDB clients send it.
NO_KEY = ""
TIMEOUT = 30  # seconds, for every call and every wait


# ----------------------------------------------------------------- plumbing


def generate_stubs(proto_root, out_dir):
    plugin = shutil.which("grpc_python_plugin") or "/usr/bin/grpc_python_plugin"
    subprocess.run(
        [
            shutil.which("protoc") or "protoc",
            "-I", proto_root,
            "--python_out=" + out_dir,
            "--grpc_python_out=" + out_dir,
            "--plugin=protoc-gen-grpc_python=" + plugin,
            "hstream/server/hstream.proto",
        ],
        check=True,
    )
    sys.path.insert(0, out_dir)
    pb = importlib.import_module("hstream.server.hstream_pb2")
    rpc = importlib.import_module("hstream.server.hstream_pb2_grpc")
    return pb, rpc


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print("PASS " + name, flush=True)
        else:
            self.failed += 1
            print("FAIL " + name + (": " + str(detail) if detail else ""), flush=True)
        return ok

    def equal(self, name, actual, expected):
        return self.check(name, actual == expected, "expected %r, got %r" % (expected, actual))


def md5_key(key):
    """The key's place in the 128-bit key space, as HStreamDB clients compute it."""
    return int(hashlib.md5(key.encode("utf-8")).hexdigest(), 16)


def shard_for(shards, key):
    h = md5_key(key)
    owners = [s for s in shards if int(s.startHashRangeKey) <= h <= int(s.endHashRangeKey)]
    if len(owners) != 1:
        raise AssertionError("key %r (hash %d) is in %d shards" % (key, h, len(owners)))
    return owners[0].shardId


def rid(record_id):
    return "%d-%d-%d" % (record_id.shardId, record_id.batchId, record_id.batchIndex)


# ------------------------------------------------------------------ records


class Quickstart:
    def __init__(self, pb, rpc, server, checks):
        import grpc
        from google.protobuf import empty_pb2, json_format, struct_pb2, timestamp_pb2

        self.grpc = grpc
        self.empty_pb2 = empty_pb2
        self.json_format = json_format
        self.struct_pb2 = struct_pb2
        self.timestamp_pb2 = timestamp_pb2
        self.pb = pb
        self.server = server
        self.checks = checks
        self.channel = grpc.insecure_channel(server)
        try:
            grpc.channel_ready_future(self.channel).result(timeout=10)
        except grpc.FutureTimeoutError:
            self.channel.close()
            raise RuntimeError("cannot reach Inlet at %s within 10 s (is it running?)" % server) from None
        self.api = rpc.HStreamApiStub(self.channel)
        suffix = uuid.uuid4().hex[:8]
        self.stream = "quickstart_" + suffix
        self.subscription = "quickstart_sub_" + suffix
        # record id -> (key, "raw"|"json", bytes or dict, attributes)
        self.expected = {}

    def close(self):
        self.channel.close()

    def record(self, key, payload, attributes=None):
        pb = self.pb
        if isinstance(payload, dict):
            struct = self.struct_pb2.Struct()
            struct.update(payload)
            flag, body = pb.HStreamRecordHeader.JSON, struct.SerializeToString()
        else:
            flag, body = pb.HStreamRecordHeader.RAW, payload
        header = pb.HStreamRecordHeader(flag=flag, key=key, attributes=attributes or {})
        return pb.HStreamRecord(header=header, payload=body)

    def batch(self, records, compression):
        pb = self.pb
        plain = pb.BatchHStreamRecords(records=records).SerializeToString()
        if compression == pb.Gzip:
            data = gzip.compress(plain)
        else:
            data = plain
        published = self.timestamp_pb2.Timestamp()
        published.GetCurrentTime()
        return pb.BatchedRecord(
            compressionType=compression, batchSize=len(records), publishTime=published, payload=data
        )

    def decode(self, received):
        """[(record id, HStreamRecord)] of a ReceivedRecord."""
        pb = self.pb
        batch = received.record
        data = batch.payload
        if batch.compressionType == pb.Gzip:
            data = gzip.decompress(data)
        elif batch.compressionType == pb.Zstd:
            import zstandard  # only if a server ever re-compresses; Inlet stores as received

            data = zstandard.ZstdDecompressor().decompress(data)
        records = pb.BatchHStreamRecords.FromString(data).records
        ids = list(received.recordIds)
        if len(ids) == len(records):  # the i-th id names the i-th record (as hstreamdb-java reads it)
            return [(rid(i), r) for i, r in zip(ids, records)]
        return [(rid(i), records[i.batchIndex]) for i in ids]

    def matches(self, record_id, record):
        """Whether a record read back equals what was appended under that id."""
        if record_id not in self.expected:
            return False
        key, kind, payload, attributes = self.expected[record_id]
        header = record.header
        if header.key != key or dict(header.attributes) != attributes:
            return False
        if kind == "json":
            if header.flag != self.pb.HStreamRecordHeader.JSON:
                return False
            decoded = self.json_format.MessageToDict(self.struct_pb2.Struct.FromString(record.payload))
            return decoded == payload
        return header.flag == self.pb.HStreamRecordHeader.RAW and record.payload == payload

    # ------------------------------------------------------------- the steps

    def run(self):
        pb, c = self.pb, self.checks
        cluster = self.api.DescribeCluster(self.empty_pb2.Empty(), timeout=TIMEOUT)
        c.check("DescribeCluster lists a node", len(cluster.serverNodes) >= 1, cluster)

        created = self.api.CreateStream(
            pb.Stream(streamName=self.stream, replicationFactor=1, backlogDuration=0, shardCount=2),
            timeout=TIMEOUT,
        )
        c.equal("CreateStream echoes the shard count", created.shardCount, 2)
        names = [s.streamName for s in self.api.ListStreams(pb.ListStreamsRequest(), timeout=TIMEOUT).streams]
        c.check("ListStreams lists the new stream", self.stream in names, names)

        shards = self.api.ListShards(pb.ListShardsRequest(streamName=self.stream), timeout=TIMEOUT).shards
        c.equal("ListShards returns 2 shards", len(shards), 2)
        ranges = sorted((int(s.startHashRangeKey), int(s.endHashRangeKey)) for s in shards)
        contiguous = ranges[0][0] == 0 and ranges[-1][1] == KEY_SPACE - 1 and all(
            ranges[i][1] + 1 == ranges[i + 1][0] for i in range(len(ranges) - 1)
        )
        c.check("shard key ranges cover the 128-bit key space without gaps", contiguous, ranges)

        self.append_all(shards)
        self.check_lookup_and_placement(shards)
        self.consume()
        self.read_with_shard_readers(shards)
        self.read_stream()

        self.api.DeleteSubscription(
            pb.DeleteSubscriptionRequest(subscriptionId=self.subscription, force=True), timeout=TIMEOUT
        )
        self.api.DeleteStream(pb.DeleteStreamRequest(streamName=self.stream, force=True), timeout=TIMEOUT)
        names = [s.streamName for s in self.api.ListStreams(pb.ListStreamsRequest(), timeout=TIMEOUT).streams]
        c.check("DeleteStream removes the stream", self.stream not in names, names)

    def append_all(self, shards):
        pb, c = self.pb, self.checks
        raw = {
            "sensor-1": [b"21.5", b"21.7"],
            "device/42": [b"\x00\x01binary\xff"],
            "\u6e29\u5ea6-7": ["\u00b0C ok".encode("utf-8")],
            NO_KEY: [b"no key"],
        }
        documents = {
            "sensor-1": [{"temp": 21.5, "unit": "C", "ok": True}],
            "sensor-2": [
                {"temp": -3, "tags": ["a", 1, None, False], "nested": {"deep": {"x": [1.5, {"y": None}]}}},
                {"empty": {}, "list": []},
            ],
            "c": [{"n": 1}],
        }
        attributes = {"mqtt.topic": "sensors/1", "source": "quickstart"}
        appended = 0
        for compression, name in ((pb.CompressionType.Value("None"), "uncompressed"), (pb.Gzip, "gzip")):
            for key in sorted(set(raw) | set(documents)):
                payloads = [("raw", p) for p in raw.get(key, [])] + [("json", d) for d in documents.get(key, [])]
                records = [self.record(key, p, attributes) for _, p in payloads]
                shard = shard_for(shards, key)
                response = self.api.Append(
                    pb.AppendRequest(streamName=self.stream, shardId=shard, records=self.batch(records, compression)),
                    timeout=TIMEOUT,
                )
                ok = len(response.recordIds) == len(records) and all(
                    i.shardId == shard and i.batchIndex == n for n, i in enumerate(response.recordIds)
                )
                c.check(
                    "Append %s batch of %d for key %r returns one id per record in shard %d"
                    % (name, len(records), key, shard),
                    ok,
                    response,
                )
                for (kind, payload), record_id in zip(payloads, response.recordIds):
                    self.expected[rid(record_id)] = (key, kind, payload, attributes)
                appended += len(records)
        c.equal("every appended record has a distinct id", len(self.expected), appended)

    def check_lookup_and_placement(self, shards):
        pb, c = self.pb, self.checks
        keys = sorted({key for key, _, _, _ in self.expected.values()})
        for key in keys:
            node = self.api.LookupKey(pb.LookupKeyRequest(partitionKey=key), timeout=TIMEOUT)
            c.check(
                "LookupKey(%r) answers with the node we dial" % key,
                node.port == int(self.server.rsplit(":", 1)[1]) and bool(node.host),
                node,
            )
        # The server routes by key on its own in ReadStreamByKey: it must find each key's records
        # in the shard the Python-side MD5 picked.
        for key in keys:
            want = sorted(i for i, (k, _, _, _) in self.expected.items() if k == key)
            requests = iter(
                [pb.ReadStreamByKeyRequest(readerId="qs_key_" + uuid.uuid4().hex[:8], streamName=self.stream,
                                           key=key, readRecordCount=1000)]
            )
            got = []
            for response in self.api.ReadStreamByKey(requests, timeout=TIMEOUT):
                got.extend(rid(i) for i in response.recordIds)
            c.equal("ReadStreamByKey(%r) returns the key's records, in its MD5 shard" % key, sorted(got), want)
            expected_shard = shard_for(shards, key)
            c.check(
                "record ids of key %r name shard %d" % (key, expected_shard),
                all(int(i.split("-")[0]) == expected_shard for i in want),
                want,
            )

    def consume(self):
        pb, c = self.pb, self.checks
        sub = self.api.CreateSubscription(
            pb.Subscription(subscriptionId=self.subscription, streamName=self.stream, ackTimeoutSeconds=60,
                            maxUnackedRecords=10000, offset=pb.EARLIEST),
            timeout=TIMEOUT,
        )
        c.equal("CreateSubscription echoes the stream", sub.streamName, self.stream)
        subs = [s.subscriptionId for s in self.api.ListSubscriptions(pb.ListSubscriptionsRequest(),
                                                                      timeout=TIMEOUT).subscription]
        c.check("ListSubscriptions lists it", self.subscription in subs, subs)

        requests = queue.Queue()
        consumer = "quickstart_consumer"
        requests.put(pb.StreamingFetchRequest(subscriptionId=self.subscription, consumerName=consumer))

        def request_iterator():
            while True:
                item = requests.get()
                if item is None:
                    return
                yield item

        call = self.api.StreamingFetch(request_iterator())
        events = queue.Queue()

        def pump():
            try:
                for response in call:
                    events.put(response)
                events.put(None)
            except Exception as e:  # noqa: BLE001 - handed to the main thread
                events.put(e)

        threading.Thread(target=pump, daemon=True).start()
        received = {}
        deadline = time.monotonic() + TIMEOUT
        failure = None
        while len(received) < len(self.expected) and time.monotonic() < deadline:
            try:
                event = events.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if event is None or isinstance(event, Exception):
                failure = event
                break
            pairs = self.decode(event.receivedRecords)
            for record_id, record in pairs:
                received[record_id] = record
            requests.put(pb.StreamingFetchRequest(subscriptionId=self.subscription, consumerName=consumer,
                                                  ackIds=list(event.receivedRecords.recordIds)))
        requests.put(None)
        time.sleep(0.2)  # let the last acks go out before cancelling
        call.cancel()
        c.check("StreamingFetch did not fail", failure is None, failure)
        c.equal("StreamingFetch delivers every appended record", sorted(received), sorted(self.expected))
        bad = [i for i, r in received.items() if not self.matches(i, r)]
        c.check("consumed records equal what was appended (JSON as dicts, raw byte-identical)", not bad, bad)

    def read_with_shard_readers(self, shards):
        pb, c = self.pb, self.checks
        for shard in shards:
            reader = "qs_reader_%d_%s" % (shard.shardId, uuid.uuid4().hex[:8])
            self.api.CreateShardReader(
                pb.CreateShardReaderRequest(streamName=self.stream, shardId=shard.shardId, readerId=reader,
                                            shardOffset=pb.ShardOffset(specialOffset=pb.EARLIEST), timeout=200),
                timeout=TIMEOUT,
            )
            want = sorted(i for i in self.expected if int(i.split("-")[0]) == shard.shardId)
            got = {}
            deadline = time.monotonic() + TIMEOUT
            while len(got) < len(want) and time.monotonic() < deadline:
                response = self.api.ReadShard(pb.ReadShardRequest(readerId=reader, maxRecords=100), timeout=TIMEOUT)
                for received in response.receivedRecords:
                    for record_id, record in self.decode(received):
                        got[record_id] = record
            c.equal("shard reader on shard %d from EARLIEST reads its records" % shard.shardId, sorted(got), want)
            bad = [i for i, r in got.items() if not self.matches(i, r)]
            c.check("shard %d records read back equal what was appended" % shard.shardId, not bad, bad)
            placed = all(
                shard_for(shards, self.expected[i][0]) == shard.shardId for i in got if i in self.expected
            )
            c.check("shard %d holds only keys whose MD5 falls in its range" % shard.shardId, placed)
            self.api.DeleteShardReader(pb.DeleteShardReaderRequest(readerId=reader), timeout=TIMEOUT)

    def read_stream(self):
        pb, c = self.pb, self.checks
        request = pb.ReadStreamRequest(
            readerId="qs_stream_" + uuid.uuid4().hex[:8], streamName=self.stream,
            **{"from": pb.StreamOffset(specialOffset=pb.EARLIEST)},
            until=pb.StreamOffset(specialOffset=pb.LATEST),
        )
        got = {}
        for response in self.api.ReadStream(request, timeout=TIMEOUT):
            for received in response.receivedRecords:
                for record_id, record in self.decode(received):
                    got[record_id] = record
        c.equal("ReadStream from EARLIEST until LATEST reads every record", sorted(got), sorted(self.expected))
        c.check("ReadStream records equal what was appended", all(self.matches(i, r) for i, r in got.items()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="127.0.0.1:6570", help="Inlet's gRPC address, HOST:PORT")
    parser.add_argument("--proto-root", default=DEFAULT_PROTO_ROOT, help="directory holding hstream/server/hstream.proto")
    args = parser.parse_args()

    try:
        import grpc  # noqa: F401
        import google.protobuf  # noqa: F401
    except ImportError as e:
        print("cannot run: %s (install python3-grpcio and python3-protobuf)" % e, file=sys.stderr)
        return 2

    checks = Checks()
    out_dir = tempfile.mkdtemp(prefix="inlet-quickstart-")
    try:
        pb, rpc = generate_stubs(args.proto_root, out_dir)
        quickstart = Quickstart(pb, rpc, args.server, checks)
        try:
            quickstart.run()
        finally:
            quickstart.close()
    except Exception as e:  # noqa: BLE001 - any error is a failed run, reported with its trace
        traceback.print_exc()
        checks.check("quick start ran to the end", False, e)
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    print("%d passed, %d failed" % (checks.passed, checks.failed), flush=True)
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
