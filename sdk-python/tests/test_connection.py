"""Connecting to a node that is slow to answer a new connection (a busy machine, a TLS handshake
under load): the client waits for the handshake instead of giving up on it.

gRPC takes ``grpc.min_reconnect_backoff_ms`` as the shortest time it gives a connection attempt
(its MIN_CONNECT_TIMEOUT, 20 s by default). The SDK once set it to 100 ms to reconnect quickly
after a restart; every attempt whose handshake took longer than the current backoff (at most
about 1.2 s) then failed as UNAVAILABLE, so on a loaded machine calls failed now and then, and
against a node slower than that they never got through."""

import asyncio

import inlet
from support import run_async

#: How long the proxy holds the node's first bytes: longer than the longest backoff (1 s + 20%).
HANDSHAKE_DELAY = 2.0


class SlowHandshakeProxy:
    """A TCP proxy in front of a node that holds back the node's first bytes on each connection."""

    def __init__(self, upstream_host, upstream_port, delay):
        self.upstream = (upstream_host, upstream_port)
        self.delay = delay
        self.connections = 0
        self._server = None
        self.port = 0

    async def __aenter__(self):
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc):
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, client_reader, client_writer):
        self.connections += 1
        try:
            node_reader, node_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_writer.close()
            return

        async def pump(reader, writer, delay):
            try:
                first = True
                while True:
                    data = await reader.read(65536)
                    if not data:
                        break
                    if first and delay:
                        await asyncio.sleep(delay)
                    first = False
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                writer.close()

        await asyncio.gather(
            pump(client_reader, node_writer, 0),
            pump(node_reader, client_writer, self.delay),
        )


@run_async
async def test_a_node_slow_to_answer_a_new_connection_is_still_reached(node, names):
    stream = names("stream")
    async with SlowHandshakeProxy(node.host, node.port, HANDSHAKE_DELAY) as proxy:
        # A short retry budget: the first connection must be waited for, not retried away.
        async with await inlet.insecure_client("127.0.0.1", proxy.port, retry_timeout=5) as client:
            await client.create_stream(stream, shard_count=1)
            ids = await client.append(stream, [b"through a slow handshake"])
            assert len(ids) == 1
        assert proxy.connections == 1, "one connection, waited for, not given up on and redialled"
