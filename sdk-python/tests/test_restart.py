"""The SDK across a server restart (SIGTERM, then a new process on the same data dir and port)."""

import asyncio

import inlet
from support import eventually, run_async


@run_async
async def test_clients_consumers_and_producers_carry_on_after_a_restart(private_node, names):
    node = private_node
    stream, sub = names("stream"), names("sub")
    loop = asyncio.get_running_loop()
    async with await inlet.insecure_client(node.host, node.port, retry_timeout=60) as client:
        await client.create_stream(stream, shard_count=2)
        await client.create_subscription(sub, stream, ack_timeout=600, offset=inlet.SpecialOffset.EARLIEST)
        acked = await client.append(stream, [b"acked-1", b"acked-2"], key="dev")
        unacked = await client.append(stream, [b"held"], key="dev")

        received = []  # (connection number, record id)
        held_once = set()

        async def process(ack, stop, records):
            for r in records:
                received.append((consumer.connections, r.id))
            # The first time "held" comes it is not acknowledged: the restart must bring it back.
            keep = [r for r in records if r.payload == b"held" and r.id not in held_once]
            held_once.update(r.id for r in keep)
            await ack(r.id for r in records if r not in keep)

        consumer = client.new_consumer("survivor", sub, process)
        consuming = asyncio.ensure_future(consumer.start())
        await eventually(lambda: len(received) == 3, message="the first three records")

        # The acknowledged batch is checkpointed; the held one is not.
        async def checkpointed():
            return (await client.get_subscription(sub)).checkpoints.get(acked[0].shard_id, 0) >= acked[0].batch_id

        await eventually(checkpointed, message="the checkpoint of the acknowledged batch")

        await loop.run_in_executor(None, node.stop)
        # While the node is down: an append and a producer's batch wait and retry.
        during = asyncio.ensure_future(client.append(stream, [b"during"], key="dev"))
        producer = client.new_producer(size_trigger=1, retry_count=1000, retry_max_delay=0.2)
        produced = await producer.append(stream, b"produced", key="other")
        await asyncio.sleep(0.3)
        assert not during.done() and not produced.done()
        await loop.run_in_executor(None, node.start_again)

        during_ids = await asyncio.wait_for(during, 30)
        produced_id = await asyncio.wait_for(produced, 30)
        await producer.wait_and_close()

        await eventually(lambda: len(received) >= 6, timeout=30, message="redelivery and new records")
        assert consumer.connections >= 2, "the consumer reconnected"
        after_restart = [rid for n, rid in received if n >= 2]
        # Acknowledged records do not come again; the held one does; new ones arrive.
        assert sorted(after_restart) == sorted(unacked + during_ids + [produced_id])
        await consumer.stop()
        await asyncio.wait_for(consuming, 10)

        # Plain calls work again too, and the data is all there.
        assert await client.does_subscription_exist(sub)
        shard = await client.shard_for_key(stream, "dev")
        async with client.with_reader(stream, names("reader"), shard_id=shard.shard_id, timeout=100) as reader:
            payloads = [r.payload for r in await reader.read(100)]
        assert payloads == [b"acked-1", b"acked-2", b"held", b"during"]


@run_async
async def test_a_consumer_gives_up_after_its_reconnect_timeout(private_node, names):
    node = private_node
    stream, sub = names("stream"), names("sub")
    async with await inlet.insecure_client(node.host, node.port, retry_timeout=1) as client:
        await client.create_stream(stream)
        await client.create_subscription(sub, stream)
        consumer = client.new_consumer("impatient", sub, lambda ack, stop, records: None, reconnect_timeout=1)
        task = asyncio.ensure_future(consumer.start())
        await eventually(lambda: consumer.connections == 1, message="connected")
        await asyncio.get_running_loop().run_in_executor(None, node.stop)
        try:
            await asyncio.wait_for(task, 20)
        except inlet.UnavailableError as e:
            assert e.retriable
        else:
            raise AssertionError("start() returned although the server never came back")


@run_async
async def test_a_reader_goes_on_where_it_was_after_a_restart(private_node, names):
    node = private_node
    stream, reader_id = names("stream"), names("reader")
    loop = asyncio.get_running_loop()
    async with await inlet.insecure_client(node.host, node.port, retry_timeout=60) as client:
        await client.create_stream(stream)
        for i in range(4):
            await client.append(stream, [b"r%d" % i])
        reader = await client.create_reader(stream, reader_id, inlet.SpecialOffset.EARLIEST, timeout=100)
        assert [r.payload for r in await reader.read(2)] == [b"r0", b"r1"]

        await loop.run_in_executor(None, node.stop)
        await loop.run_in_executor(None, node.start_again)

        assert [r.payload for r in await reader.read(10)] == [b"r2", b"r3"]
        await reader.delete()
