"""Blocking calls for scripts: the asyncio client run on a private event loop thread.

::

    from inlet import sync

    with sync.connect("127.0.0.1", 6570) as client:
        client.create_stream("demo")
        print(client.append("demo", [b"hello", {"n": 1}]))

Every coroutine method of :class:`inlet.HStreamDBClient` is here as a plain method with
the same arguments. Producers, consumers and readers have blocking counterparts; a
consumer's processing function is a plain function, called on a worker thread, whose
``ack`` and ``stop`` are plain functions too.
"""

import asyncio
import concurrent.futures
import threading
from typing import Any, Callable, Iterable, List, Optional

from inlet.client import HStreamDBClient, insecure_client, secure_client
from inlet.types import Record


class _LoopThread:
    """An event loop running on a daemon thread of its own."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._main, name="inlet-sync-loop", daemon=True)
        self._thread.start()

    def _main(self):
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def submit(self, coro) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def run(self, coro, timeout: Optional[float] = None):
        if threading.current_thread() is self._thread:
            coro.close()
            raise RuntimeError("a blocking inlet.sync call cannot be made from the client's own event loop")
        return self.submit(coro).result(timeout)

    def stop(self):
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)
        if not self.loop.is_running() and not self.loop.is_closed():
            self.loop.close()


def connect(host: str = "127.0.0.1", port: Optional[int] = 6570, **options) -> "Client":
    """Connects without TLS; see :func:`inlet.insecure_client` for the arguments."""
    runner = _LoopThread()
    try:
        return Client(runner, runner.run(insecure_client(host, port, **options)))
    except BaseException:
        runner.stop()
        raise


def connect_secure(host: str = "127.0.0.1", port: Optional[int] = 6570, **kwargs) -> "Client":
    """Connects over TLS; see :func:`inlet.secure_client` for the arguments."""
    runner = _LoopThread()
    try:
        return Client(runner, runner.run(secure_client(host, port, **kwargs)))
    except BaseException:
        runner.stop()
        raise


class Client:
    """The blocking client returned by :func:`connect`; close it (or use ``with``)."""

    def __init__(self, runner: _LoopThread, client: HStreamDBClient):
        self._runner = runner
        #: The asyncio client underneath.
        self.aio = client

    def _run(self, coro):
        return self._runner.run(coro)

    def close(self) -> None:
        if self._runner.loop.is_closed():
            return
        try:
            self._run(self.aio.close())
        finally:
            self._runner.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def new_producer(self, **kwargs) -> "Producer":
        """A buffered producer; see :meth:`inlet.HStreamDBClient.new_producer` for the arguments."""

        async def make():
            return self.aio.new_producer(**kwargs)

        return Producer(self._runner, self._run(make()))

    def new_consumer(
        self, name: str, subscription: str, processing_func: Callable, reconnect_timeout: Optional[float] = None
    ) -> "Consumer":
        """A consumer whose ``processing_func(ack, stop, records)`` is a plain function."""
        return Consumer(self._runner, self.aio, name, subscription, processing_func, reconnect_timeout)

    def create_reader(self, *args, **kwargs) -> "Reader":
        """A shard reader; see :meth:`inlet.HStreamDBClient.create_reader` for the arguments."""
        return Reader(self._runner, self._run(self.aio.create_reader(*args, **kwargs)))

    def with_reader(self, *args, **kwargs) -> "Reader":
        """``with client.with_reader(...) as reader``: the reader is deleted on exit."""
        return self.create_reader(*args, **kwargs)


def _blocking(name: str):
    target = getattr(HStreamDBClient, name)

    def method(self, *args, **kwargs):
        return self._run(getattr(self.aio, name)(*args, **kwargs))

    method.__name__ = name
    method.__qualname__ = "Client." + name
    method.__doc__ = target.__doc__
    return method


for _name in (
    "describe_cluster",
    "lookup_shard",
    "lookup_subscription",
    "lookup_shard_reader",
    "lookup_key",
    "create_stream",
    "get_stream",
    "list_streams",
    "delete_stream",
    "list_shards",
    "shard_for_key",
    "append",
    "create_subscription",
    "get_subscription",
    "list_subscriptions",
    "does_subscription_exist",
    "subscription_exists",
    "delete_subscription",
    "list_consumers",
    "list_readers",
    "delete_reader",
):
    setattr(Client, _name, _blocking(_name))


class Producer:
    """Blocking face of :class:`inlet.BufferedProducer`."""

    def __init__(self, runner: _LoopThread, producer):
        self._runner = runner
        self.aio = producer

    def append(self, stream_name: str, payload: Any, key: Optional[str] = None, attributes=None):
        """Buffers one record; returns a ``concurrent.futures.Future`` of its RecordId."""
        inner = self._runner.run(self.aio.append(stream_name, payload, key, attributes))

        async def result():
            return await inner

        return self._runner.submit(result())

    def flush(self, stream_name: Optional[str] = None, key: Optional[str] = None) -> None:
        self._runner.run(self.aio.flush(stream_name, key))

    def close(self) -> None:
        """Sends everything buffered and stops the producer."""
        self._runner.run(self.aio.wait_and_close())

    wait_and_close = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Consumer:
    """Blocking face of :class:`inlet.Consumer`: :meth:`run` blocks until stopped,
    :meth:`start` runs it in the background until :meth:`stop`."""

    def __init__(self, runner, client, name, subscription, processing_func, reconnect_timeout):
        self._runner = runner
        self._func = processing_func
        self._future: Optional[concurrent.futures.Future] = None
        self.aio = client.new_consumer(name, subscription, self._process, reconnect_timeout=reconnect_timeout)

    async def _process(self, ack, stop, records: List[Record]):
        def ack_blocking(ids: Iterable):
            self._runner.run(ack(list(ids)))

        def stop_blocking():
            self._runner.run(stop())

        await asyncio.get_running_loop().run_in_executor(None, self._func, ack_blocking, stop_blocking, records)

    def run(self) -> None:
        """Consumes until ``stop`` is called; raises what ended the consumer otherwise."""
        self.start()
        self.join()

    def start(self) -> None:
        """Starts consuming in the background."""
        self._future = self._runner.submit(self.aio.start())

    def stop(self, timeout: Optional[float] = 30) -> None:
        """Stops the consumer and waits until it has."""
        self._runner.run(self.aio.stop())
        self.join(timeout)

    def join(self, timeout: Optional[float] = None) -> None:
        """Waits until the consumer ends; raises what ended it, if it failed."""
        if self._future is not None:
            self._future.result(timeout)


class Reader:
    """Blocking face of :class:`inlet.ShardReader`."""

    def __init__(self, runner, reader):
        self._runner = runner
        self.aio = reader

    @property
    def reader_id(self) -> str:
        return self.aio.reader_id

    @property
    def shard_id(self) -> int:
        return self.aio.shard_id

    def read(self, max_records: int = 100) -> List[Record]:
        return self._runner.run(self.aio.read(max_records))

    def delete(self) -> None:
        self._runner.run(self.aio.delete())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.delete()
