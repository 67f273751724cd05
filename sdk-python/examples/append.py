#!/usr/bin/env python3
"""Append: raw and JSON records, partition keys, attributes, gzip and zstd batches."""

import argparse
import asyncio
import uuid

import inlet


async def main(host, port):
    name = "example_append_" + uuid.uuid4().hex[:6]
    async with await inlet.insecure_client(host, port) as client:
        await client.create_stream(name, shard_count=2)

        # bytes and str become RAW records, dicts become JSON records. One call is one batch,
        # appended to the shard the key hashes to; the ids come back once it is durable.
        ids = await client.append(name, [b"\x01\x02 raw bytes", "text, sent as UTF-8", {"temperature": 21.5}],
                                  key="sensor-1")
        print("appended", [str(i) for i in ids])

        # Records without a key carry the empty key; attributes travel in every record's header.
        print("no key:", await client.append(name, [b"keyless"], attributes={"source": "example"}))

        print("gzip:", await client.append(name, [b"x" * 1000] * 10, key="bulk", compresstype="gzip"))
        try:
            print("zstd:", await client.append(name, [b"y" * 1000] * 10, key="bulk", compresstype="zstd"))
        except inlet.CompressionUnavailableError as e:
            print("zstd is not available here:", e)

        await client.delete_stream(name, force=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6570)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
