#!/usr/bin/env python3
"""The cluster: its nodes, and which node serves a shard, a subscription or a key.

The client routes on its own: appends go to the node serving the key's shard, consumers
to the node serving their subscription, readers to the node serving their shard.
"""

import argparse
import asyncio
import uuid

import inlet


async def main(host, port):
    suffix = uuid.uuid4().hex[:6]
    stream, subscription = "example_cluster_" + suffix, "example_cluster_sub_" + suffix
    async with await inlet.insecure_client(host, port) as client:
        info = await client.describe_cluster()
        print("protocol", info.protocol_version, "up for", info.uptime_seconds, "s")
        for node in info.nodes:
            print("node %d at %s (%s), version %s" % (node.id, node.address, info.states[node.id].name, node.version))

        await client.create_stream(stream, shard_count=2)
        await client.create_subscription(subscription, stream)
        for shard in await client.list_shards(stream):
            print("shard %d is served by %s" % (shard.shard_id, (await client.lookup_shard(shard.shard_id)).address))
        print("subscription served by", (await client.lookup_subscription(subscription)).address)
        print("key 'sensor-1' served by", (await client.lookup_key("sensor-1")).address)

        await client.delete_subscription(subscription)
        await client.delete_stream(stream)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6570)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
