"""Consumers: receive a subscription's records over StreamingFetch, acknowledge them, reconnect."""

import asyncio
import inspect
import logging
from typing import TYPE_CHECKING, Callable, Iterable, List, Optional, Union

import grpc

from inlet._connection import unavailable
from inlet._proto import pb
from inlet.errors import ConsumerExistsError, ErrorCode, InletError, from_rpc_error, from_status
from inlet.records import decode_received
from inlet.types import Record, RecordId

if TYPE_CHECKING:
    from inlet.client import HStreamDBClient

log = logging.getLogger("inlet")

#: How long a consumer keeps trying when the server says its name is taken: after a dropped
#: connection the server may not have seen the old connection go yet.
CONSUMER_EXISTS_GRACE_SECONDS = 10.0

#: A connection that lasted this many seconds worked: its failure starts a new outage.
STABLE_CONNECTION_SECONDS = 1.0

#: How long a stopping consumer waits for the server to end its stream before cancelling it.
STOP_GRACE_SECONDS = 5.0


class _ProcessingFailed(Exception):
    def __init__(self, cause: BaseException):
        super().__init__(str(cause))
        self.cause = cause


class Consumer:
    """One consumer of a subscription, made by ``client.new_consumer(name, subscription, func)``.

    ``await consumer.start()`` connects and calls ``func(ack, stop, records)`` for each batch of
    records the server delivers, one call at a time, until ``stop`` is called; then ``start``
    returns. ``func`` may be a coroutine function or a plain function; ``records`` is a list of
    :class:`inlet.Record`.

    - ``await ack(ids)`` acknowledges records by :class:`inlet.RecordId` (or by the records
      themselves). Records not acknowledged within the subscription's ack timeout, or held when
      the consumer disconnects, are delivered again (to this consumer or another).
    - ``await stop()`` ends the consumer after ``func`` returns; acknowledgements sent before it
      are kept. :meth:`stop` does the same from outside.

    When the connection fails or the server becomes unavailable (a restart), the consumer looks
    the subscription up again and reconnects, pausing between attempts, for up to
    ``reconnect_timeout`` seconds per outage (None: forever). ``start`` raises the error that
    ended it otherwise: :class:`SubscriptionNotFoundError`, an exception raised by ``func``
    (records it did not acknowledge are delivered again), or the last connection error.
    """

    def __init__(
        self,
        client: "HStreamDBClient",
        name: str,
        subscription: str,
        processing_func: Callable,
        reconnect_timeout: Optional[float] = None,
    ):
        if not name:
            raise ValueError("a consumer needs a name")
        self._client = client
        self.name = name
        self.subscription = subscription
        self._func = processing_func
        self.reconnect_timeout = reconnect_timeout
        self._call = None
        self._lock: Optional[asyncio.Lock] = None
        self._stop_event: Optional[asyncio.Event] = None
        self._stopping = False
        self._running = False
        #: How many times the consumer connected (1 after the first connection).
        self.connections = 0

    @property
    def running(self) -> bool:
        return self._running

    # ------------------------------------------------------------------ control

    async def start(self) -> None:
        """Runs the consumer until it is stopped (then returns) or fails (then raises)."""
        if self._running:
            raise RuntimeError("consumer %r is already running" % self.name)
        self._running = True
        self._stopping = False
        self._lock = asyncio.Lock()
        self._stop_event = asyncio.Event()
        try:
            await self._run()
        except _ProcessingFailed as e:
            raise e.cause from None
        finally:
            self._running = False
            self._call = None

    async def stop(self) -> None:
        """Ends the consumer: the server stops delivering, and ``start`` returns soon after."""
        self._stopping = True
        if self._stop_event is not None:
            self._stop_event.set()
        call = self._call
        if call is None:
            return
        try:
            async with self._lock:
                await call.done_writing()
        except (grpc.RpcError, asyncio.InvalidStateError, RuntimeError):
            pass
        # The server ends the stream when it sees the end of the requests; never wait forever.
        asyncio.get_running_loop().call_later(STOP_GRACE_SECONDS, call.cancel)

    async def ack(self, ids: Iterable[Union[RecordId, Record]]) -> None:
        """Acknowledges records. Acknowledgements that cannot be sent (the connection just
        failed) are dropped: the records are delivered again."""
        wire = []
        for i in ids:
            if isinstance(i, Record):
                i = i.id
            wire.append(i._to_pb())
        call = self._call
        if not wire or call is None:
            return
        request = pb.StreamingFetchRequest(subscriptionId=self.subscription, consumerName=self.name, ackIds=wire)
        try:
            async with self._lock:
                await call.write(request)
        except (grpc.RpcError, asyncio.InvalidStateError, RuntimeError) as e:
            log.debug("consumer %s: acknowledgement not sent (%s); the records will come again", self.name, e)

    # ---------------------------------------------------------------- the loop

    def _delays(self):
        loop = asyncio.get_running_loop()
        options = self._client.options
        deadline = None if self.reconnect_timeout is None else loop.time() + self.reconnect_timeout
        delay = options.retry_initial_delay
        while True:
            if deadline is not None and loop.time() + delay > deadline:
                yield None
                return
            yield delay
            delay = min(delay * 2, options.retry_max_delay)

    async def _run(self) -> None:
        conn = self._client._conn
        route = ("subscription", self.subscription)
        loop = asyncio.get_running_loop()
        delays = None
        outage_start = 0.0
        while not self._stopping:
            call = None
            opened = None
            try:
                target = await conn.resolve(route)
                call = conn.stub(target).StreamingFetch()
                self._call = call
                async with self._lock:
                    await call.write(pb.StreamingFetchRequest(subscriptionId=self.subscription, consumerName=self.name))
                    if self._stopping:  # stop() ran while connecting
                        await call.done_writing()
                self.connections += 1
                opened = loop.time()
                while True:
                    response = await call.read()
                    if response is grpc.aio.EOF:
                        break
                    if self._stopping:
                        continue  # undelivered to func: unacknowledged, so redelivered later
                    await self._process(decode_received(response.receivedRecords))
                if self._stopping:
                    return
                error = unavailable("the server ended consumer %r's stream" % self.name)
            except grpc.RpcError as e:  # InletError included (a failed lookup)
                error = from_rpc_error(e, "StreamingFetch")
            except asyncio.InvalidStateError:  # the call ended before the join request went out
                error = from_status(await call.code(), await call.details(), "StreamingFetch")
            finally:
                self._call = None
                if call is not None and not call.done():
                    call.cancel()
            if self._stopping:
                return
            if not self._reconnectable(error):
                raise error
            if opened is not None and loop.time() - opened >= STABLE_CONNECTION_SECONDS:
                delays = None  # the connection worked: this is a new outage, with a budget of its own
            if delays is None:
                delays = self._delays()
                outage_start = loop.time()
            if isinstance(error, ConsumerExistsError) and loop.time() - outage_start > CONSUMER_EXISTS_GRACE_SECONDS:
                raise error  # another live consumer uses this name
            delay = next(delays)
            if delay is None:
                raise error
            log.info("consumer %s of %s: %s; reconnecting in %.2fs", self.name, self.subscription, error, delay)
            conn.forget(route)
            try:
                await asyncio.wait_for(self._stop_event.wait(), delay)
            except asyncio.TimeoutError:
                pass

    @staticmethod
    def _reconnectable(error: InletError) -> bool:
        if error.retriable or error.error_code == ErrorCode.WrongServer:
            return True
        if isinstance(error, ConsumerExistsError):  # for a while: see CONSUMER_EXISTS_GRACE_SECONDS
            return True
        return error.status == grpc.StatusCode.CANCELLED

    async def _process(self, records: List[Record]) -> None:
        try:
            result = self._func(self.ack, self.stop, records)
            if inspect.isawaitable(result):
                await result
        except Exception as e:  # noqa: BLE001 - handed to start()'s caller
            raise _ProcessingFailed(e) from e

    def __repr__(self):
        return "Consumer(%r, subscription=%r)" % (self.name, self.subscription)
