"""Channels to the cluster's nodes, request routing, and retrying calls the server could not serve.

A resource (a shard, a subscription, a shard reader) is served by the node the
cluster's Lookup* calls name; the answer is cached until a call to that node
fails with UNAVAILABLE (or the server says it is the wrong server), then it is
looked up again. Calls that need no particular node go to the address the
client was given, or, while that one is unavailable, to the other nodes
DescribeCluster listed.
"""

import asyncio
import logging
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import grpc

from inlet._version import __version__
from inlet._proto import pb, rpc
from inlet.errors import ErrorCode, InletError, UnavailableError, from_rpc_error
from inlet.types import ServerNode

log = logging.getLogger("inlet")

#: A routing key: ("shard", shard_id), ("subscription", id), ("reader", reader_id) or ("key", key).
Route = Optional[Tuple[str, object]]


@dataclass(frozen=True)
class ClientOptions:
    """How the client talks to the cluster.

    :param call_timeout: seconds one call may take (a ReadShard waiting for records adds the
        reader's own timeout)
    :param retry_timeout: seconds a call keeps being retried while the server is unavailable
    :param retry_initial_delay: first pause between retries, in seconds; it doubles each time
    :param retry_max_delay: longest pause between retries, in seconds
    :param channel_options: extra gRPC channel arguments, as (name, value) pairs
    """

    call_timeout: float = 60.0
    retry_timeout: float = 30.0
    retry_initial_delay: float = 0.05
    retry_max_delay: float = 1.0
    channel_options: Tuple[Tuple[str, object], ...] = ()

    def grpc_options(self):
        defaults = {
            # Reconnect quickly after a node restarts instead of gRPC's default 1 s..120 s backoff.
            # Not grpc.min_reconnect_backoff_ms: gRPC takes it as the shortest time a connection
            # attempt may take (default 20 s), and a small value fails every handshake slower than
            # the current backoff (tests/test_connection.py).
            "grpc.initial_reconnect_backoff_ms": 100,
            "grpc.max_reconnect_backoff_ms": 1000,
            "grpc.primary_user_agent": "inlet-python/" + __version__,
            "grpc.max_receive_message_length": 64 * 1024 * 1024,
        }
        defaults.update(dict(self.channel_options))
        return list(defaults.items())


class Connection:
    """The channels of one client, its routing cache and its retry loop."""

    def __init__(self, target: str, credentials: Optional[grpc.ChannelCredentials], options: ClientOptions):
        self.bootstrap = target
        self.credentials = credentials
        self.options = options
        self._channels: Dict[str, grpc.aio.Channel] = {}
        self._stubs: Dict[str, rpc.HStreamApiStub] = {}
        self._nodes: List[str] = [target]  # where calls that need no particular node go
        self._routes: Dict[Tuple[str, object], str] = {}
        self._closed = False

    # ----------------------------------------------------------------- channels

    def stub(self, target: str) -> rpc.HStreamApiStub:
        if self._closed:
            raise InletError("the client is closed")
        stub = self._stubs.get(target)
        if stub is None:
            if self.credentials is None:
                channel = grpc.aio.insecure_channel(target, options=self.options.grpc_options())
            else:
                channel = grpc.aio.secure_channel(target, self.credentials, options=self.options.grpc_options())
            self._channels[target] = channel
            stub = self._stubs[target] = rpc.HStreamApiStub(channel)
        return stub

    def learn_nodes(self, nodes: List[ServerNode]) -> None:
        """Remembers the cluster's nodes as fallbacks for calls that need no particular node."""
        known = [self.bootstrap] + [n.address for n in nodes if n.address != self.bootstrap]
        self._nodes = known

    @property
    def any_node(self) -> str:
        return self._nodes[0]

    def _rotate(self) -> None:
        if len(self._nodes) > 1:
            self._nodes.append(self._nodes.pop(0))

    async def close(self) -> None:
        self._closed = True
        channels = list(self._channels.values())
        self._channels.clear()
        self._stubs.clear()
        for channel in channels:
            await channel.close(grace=None)

    # ------------------------------------------------------------------ routing

    async def resolve(self, route: Route, retry=True) -> str:
        """The address serving ``route`` (looked up once, then cached)."""
        if route is None:
            return self.any_node
        cached = self._routes.get(route)
        if cached is not None:
            return cached
        kind, ident = route
        if kind == "shard":
            node = (await self.call("LookupShard", pb.LookupShardRequest(shardId=ident), retry=retry)).serverNode
        elif kind == "subscription":
            node = (await self.call("LookupSubscription", pb.LookupSubscriptionRequest(subscriptionId=ident), retry=retry)).serverNode
        elif kind == "reader":
            node = (await self.call("LookupShardReader", pb.LookupShardReaderRequest(readerId=ident), retry=retry)).serverNode
        elif kind == "key":
            node = await self.call("LookupKey", pb.LookupKeyRequest(partitionKey=ident), retry=retry)
        else:
            raise ValueError("unknown route %r" % (route,))
        target = ServerNode._from_pb(node).address if node.host else self.any_node
        self._routes[route] = target
        return target

    def forget(self, route: Route) -> None:
        """Drops a cached lookup (its node failed); the next call looks it up again."""
        if route is None:
            self._rotate()
        else:
            self._routes.pop(route, None)

    # ------------------------------------------------------------------ calling

    def retry_delays(self):
        """Pauses between attempts until the retry timeout is spent (an endless generator of
        seconds, or None once the time is up)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.options.retry_timeout
        delay = self.options.retry_initial_delay
        while True:
            if loop.time() + delay > deadline:
                yield None
                return
            yield delay
            delay = min(delay * 2, self.options.retry_max_delay)

    async def call(self, method: str, request, route: Route = None, timeout: Optional[float] = None, retry=True):
        """Calls a unary method on the node serving ``route``.

        Retries while the server is unavailable, for at most ``retry_timeout`` seconds,
        looking the route up again before each retry.

        :raises InletError: the mapped error of the last attempt
        """
        delays = self.retry_delays() if retry else iter([None])
        while True:
            try:
                target = await self.resolve(route, retry=False)
                return await getattr(self.stub(target), method)(
                    request, timeout=timeout if timeout is not None else self.options.call_timeout
                )
            except grpc.RpcError as e:
                error = from_rpc_error(e, method)
            if not (error.retriable or error.error_code == ErrorCode.WrongServer):
                raise error
            delay = next(delays)
            if delay is None:
                raise error
            log.debug("%s: %s; retrying in %.2fs", method, error, delay)
            self.forget(route)
            await asyncio.sleep(delay)


def unavailable(message: str) -> UnavailableError:
    return UnavailableError(message, status=grpc.StatusCode.UNAVAILABLE)
