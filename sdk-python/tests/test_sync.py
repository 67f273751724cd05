"""The blocking wrapper (inlet.sync) against a live node."""

import threading

import pytest

import inlet
from inlet import sync


def test_blocking_client_covers_streams_appends_and_subscriptions(node, names):
    stream, sub = names("stream"), names("sub")
    with sync.connect(node.host, node.port) as client:
        assert client.describe_cluster().nodes[0].port == node.port
        client.create_stream(stream, shard_count=2)
        assert stream in [s.name for s in client.list_streams()]
        ids = client.append(stream, [b"raw", {"json": True}], key="k")
        assert [i.batch_index for i in ids] == [0, 1]
        client.create_subscription(sub, stream, offset=inlet.SpecialOffset.EARLIEST)
        assert client.does_subscription_exist(sub)
        with pytest.raises(inlet.StreamExistsError):
            client.create_stream(stream)

        received = []

        def process(ack, stop, records):  # plain function, plain ack and stop
            assert threading.current_thread() is not threading.main_thread()
            received.extend(records)
            ack(r.id for r in records)
            if len(received) >= 2:
                stop()

        client.new_consumer("sync-consumer", sub, process).run()
        assert sorted(r.id for r in received) == sorted(ids)
        assert {r.id: r.payload for r in received}[ids[1]] == {"json": True}

        client.delete_subscription(sub)
        client.delete_stream(stream)


def test_blocking_producer_and_reader(node, names):
    stream = names("stream")
    with sync.connect("%s:%d" % (node.host, node.port), None) as client:
        client.create_stream(stream)
        with client.new_producer(size_trigger=1 << 20) as producer:
            futures = [producer.append(stream, "line %d" % i) for i in range(5)]
            producer.flush()
            ids = [f.result(10) for f in futures]
        assert [i.batch_index for i in ids] == list(range(5))
        with client.with_reader(stream, names("reader"), inlet.SpecialOffset.EARLIEST, timeout=100) as reader:
            assert [r.payload for r in reader.read(10)] == [b"line %d" % i for i in range(5)]
        assert reader.reader_id not in client.list_readers()


def test_background_consumer_stops_on_request(node, names):
    stream, sub = names("stream"), names("sub")
    with sync.connect(node.host, node.port) as client:
        client.create_stream(stream)
        client.create_subscription(sub, stream, offset=inlet.SpecialOffset.EARLIEST)
        got = threading.Event()

        def process(ack, stop, records):
            ack(r.id for r in records)
            got.set()

        consumer = client.new_consumer("bg", sub, process)
        consumer.start()
        client.append(stream, [b"x"])
        assert got.wait(15)
        consumer.stop(timeout=15)
        assert not consumer.aio.running
