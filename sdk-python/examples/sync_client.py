#!/usr/bin/env python3
"""The blocking wrapper for scripts: the same calls without asyncio."""

import argparse
import uuid

import inlet
from inlet import sync


def main(host, port):
    suffix = uuid.uuid4().hex[:6]
    stream, subscription = "example_sync_" + suffix, "example_sync_sub_" + suffix
    with sync.connect(host, port) as client:
        client.create_stream(stream)
        print("appended", client.append(stream, [b"one", {"two": 2}], key="k"))

        with client.new_producer(size_trigger=1024) as producer:
            futures = [producer.append(stream, "line %d" % i) for i in range(3)]
        print("produced", [str(f.result()) for f in futures])

        with client.with_reader(stream, "example_sync_reader_" + suffix) as reader:
            print("read", [r.payload for r in reader.read(100)])

        client.create_subscription(subscription, stream, offset=inlet.SpecialOffset.EARLIEST)
        seen = []

        def process(ack, stop, records):  # runs on a worker thread; ack and stop block
            seen.extend(records)
            ack(r.id for r in records)
            if len(seen) >= 5:
                stop()

        client.new_consumer("example-sync-consumer", subscription, process).run()
        print("consumed", len(seen), "records")
        client.delete_subscription(subscription)
        client.delete_stream(stream)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6570)
    args = parser.parse_args()
    main(args.host, args.port)
