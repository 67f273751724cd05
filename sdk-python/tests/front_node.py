"""A gRPC server standing in front of a real Inlet node, for routing and TLS tests.

It forwards calls to the node as raw bytes. What it says about the cluster
(DescribeCluster and the Lookup* answers) is configurable:

- ``advertise="self"``: every node address it hands out is its own, so a client
  sends everything through it (a TLS front for a plaintext node);
- ``advertise="upstream"``: it hands out the real node's address, and it refuses the
  data calls (``refuse``), so a client only succeeds if it follows the lookups.

``fail_next[method] = n`` makes the next n calls of a method fail with UNAVAILABLE.
"""

import asyncio

import grpc

from inlet._proto import pb

SERVICE = "hstream.server.HStreamApi"
_METHODS = pb.DESCRIPTOR.services_by_name["HStreamApi"].methods
DATA_CALLS = frozenset(
    {"Append", "StreamingFetch", "CreateShardReader", "ReadShard", "DeleteShardReader", "ListConsumers"}
)


class FrontNode:
    def __init__(self, upstream, advertise="self", refuse=(), server_credentials=None, node_id=7):
        self.upstream = upstream
        self.advertise = advertise
        self.refuse = frozenset(refuse)
        self.server_credentials = server_credentials
        self.node_id = node_id
        self.fail_next = {}
        self.calls = []  # method names, in order
        self.port = 0
        self._server = None
        self._channel = None

    @property
    def address(self):
        return "127.0.0.1:%d" % self.port

    async def start(self):
        self._channel = grpc.aio.insecure_channel(self.upstream)
        self._server = grpc.aio.server()
        self._server.add_generic_rpc_handlers([_Handler(self)])
        if self.server_credentials is None:
            self.port = self._server.add_insecure_port("127.0.0.1:0")
        else:
            self.port = self._server.add_secure_port("127.0.0.1:0", self.server_credentials)
        await self._server.start()
        return self

    async def stop(self):
        await self._server.stop(grace=None)
        await self._channel.close()

    async def __aenter__(self):
        return await self.start()

    async def __aexit__(self, *exc):
        await self.stop()

    # ------------------------------------------------------------ rewriting

    def _node(self, node):
        if self.advertise == "self":
            node.id = self.node_id
            node.host = "127.0.0.1"
            node.port = self.port
        return node

    def rewrite(self, name, data):
        if self.advertise != "self":
            return data
        if name == "DescribeCluster":
            m = pb.DescribeClusterResponse.FromString(data)
            for n in m.serverNodes:
                self._node(n)
            for s in m.serverNodesStatus:
                self._node(s.node)
            return m.SerializeToString()
        if name in ("LookupResource", "LookupKey"):
            return self._node(pb.ServerNode.FromString(data)).SerializeToString()
        for method, cls in (
            ("LookupShard", pb.LookupShardResponse),
            ("LookupSubscription", pb.LookupSubscriptionResponse),
            ("LookupShardReader", pb.LookupShardReaderResponse),
        ):
            if name == method:
                m = cls.FromString(data)
                self._node(m.serverNode)
                return m.SerializeToString()
        return data

    async def check(self, name, context):
        self.calls.append(name)
        if name in self.refuse:
            await context.abort(grpc.StatusCode.UNIMPLEMENTED, "%s is not served by this front node" % name)
        if self.fail_next.get(name, 0) > 0:
            self.fail_next[name] -= 1
            await context.abort(
                grpc.StatusCode.UNAVAILABLE, '{"error":0,"message":"injected: %s unavailable"}' % name
            )


class _Handler(grpc.GenericRpcHandler):
    def __init__(self, front):
        self.front = front

    def service(self, details):
        name = details.method.rsplit("/", 1)[-1]
        method = _METHODS_BY_NAME.get(name)
        if method is None or not details.method.startswith("/" + SERVICE + "/"):
            return None
        path = details.method
        front = self.front
        if not method.client_streaming and not method.server_streaming:

            async def unary(request, context):
                await front.check(name, context)
                try:
                    response = await front._channel.unary_unary(path)(request, timeout=30)
                except grpc.aio.AioRpcError as e:
                    await context.abort(e.code(), e.details())
                return front.rewrite(name, response)

            return grpc.unary_unary_rpc_method_handler(unary)

        if not method.client_streaming:

            async def server_streaming(request, context):
                await front.check(name, context)
                call = front._channel.unary_stream(path)(request)
                try:
                    async for response in call:
                        yield response
                except grpc.aio.AioRpcError as e:
                    await context.abort(e.code(), e.details())

            return grpc.unary_stream_rpc_method_handler(server_streaming)

        async def bidi(requests, context):
            await front.check(name, context)
            call = front._channel.stream_stream(path)()

            async def pump():
                async for request in requests:
                    await call.write(request)
                await call.done_writing()

            pumping = asyncio.ensure_future(pump())
            try:
                async for response in call:
                    yield response
            except grpc.aio.AioRpcError as e:
                await context.abort(e.code(), e.details())
            finally:
                pumping.cancel()
                call.cancel()

        return grpc.stream_stream_rpc_method_handler(bidi)


_METHODS_BY_NAME = {m.name: m for m in _METHODS}
