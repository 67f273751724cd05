"""Exceptions raised by the SDK.

Every failed call raises an :class:`InletError` subclass chosen from the gRPC
status and the Inlet/HStreamDB error code the server puts in the status details
(``{"error": <code>, "message": "..."}``). The classes also subclass
``grpc.RpcError`` and keep its ``code()`` and ``details()`` methods, so code
written against the ``hstreamdb`` package that catches ``grpc.RpcError`` keeps
working.
"""

import enum
import json

import grpc

from inlet._proto import pb

# The server's error codes (the proto's ErrorCode enum), as Python integers.
ErrorCode = enum.IntEnum(
    "ErrorCode",
    [(v.name, v.number) for v in pb.DESCRIPTOR.enum_types_by_name["ErrorCode"].values],
    module=__name__,
)
ErrorCode.__doc__ = "Inlet's (and HStreamDB's) error codes, sent in the JSON body of a failed call."


class InletError(grpc.RpcError):
    """Base of every SDK exception.

    :ivar message: what went wrong, as the server (or the SDK) says it
    :ivar error_code: the server's :class:`ErrorCode`, or None when it sent none
    :ivar status: the ``grpc.StatusCode``, or None for errors raised by the SDK itself
    """

    #: Whether repeating the same call later may succeed.
    retriable = False

    def __init__(self, message, status=None, error_code=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code

    def code(self):
        """The gRPC status code (``grpc.RpcError`` compatibility); None for local errors."""
        return self.status

    def details(self):
        """The error message (``grpc.RpcError`` compatibility)."""
        return self.message

    def __str__(self):
        parts = [self.message]
        if self.status is not None:
            label = self.status.name
            if self.error_code is not None and self.error_code != ErrorCode.InternalError:
                label += ", " + self.error_code.name
            parts.append("(%s)" % label)
        return " ".join(parts)


# ------------------------------------------------------------- by gRPC status


class NotFoundError(InletError):
    """The named stream, subscription, shard or reader does not exist."""


class AlreadyExistsError(InletError):
    """A stream, subscription, reader or consumer of that name already exists."""


class InvalidArgumentError(InletError):
    """The request was rejected as malformed (bad name, offset, size, count...)."""


class FailedPreconditionError(InletError):
    """The request is valid but the resource's state forbids it now."""


class UnavailableError(InletError):
    """The server cannot be reached or cannot serve the call right now; retrying may help."""

    retriable = True


class DeadlineExceededError(InletError):
    """The call did not finish within its timeout (it may still have taken effect)."""


class UnimplementedError(InletError):
    """The server does not implement the call (SQL, connectors, views on Inlet today)."""


class InternalServerError(InletError):
    """The server failed unexpectedly."""


class PermissionDeniedError(InletError):
    """The caller may not do this (or could not be authenticated)."""


# ------------------------------------------------------------- by error code


class StreamNotFoundError(NotFoundError):
    """No such stream (or no such shard in it)."""


class SubscriptionNotFoundError(NotFoundError):
    """No such subscription."""


class ShardReaderNotFoundError(NotFoundError):
    """No such shard reader."""


class StreamExistsError(AlreadyExistsError):
    """A stream of that name already exists."""


class SubscriptionExistsError(AlreadyExistsError):
    """A subscription of that name already exists."""


class ShardReaderExistsError(AlreadyExistsError):
    """A shard reader of that id already exists."""


class ConsumerExistsError(AlreadyExistsError):
    """A consumer of that name is already connected to the subscription."""


class StreamHasSubscriptionsError(FailedPreconditionError):
    """The stream still has subscriptions; delete it with ``force=True``."""


class SubscriptionHasConsumersError(FailedPreconditionError):
    """The subscription still has connected consumers; delete it with ``force=True``."""


class SubscriptionStreamNotFoundError(FailedPreconditionError, NotFoundError):
    """The subscription's stream does not exist."""


# ------------------------------------------------------------- raised locally


class CompressionUnavailableError(InletError):
    """A compression type needs a Python module that is not installed (zstd: ``zstandard``)."""


class ProducerClosedError(InletError):
    """The buffered producer was closed; it takes no more records."""


class DecodeError(InletError):
    """A record batch received from the server could not be decoded."""


_BY_STATUS = {
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExistsError,
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgumentError,
    grpc.StatusCode.OUT_OF_RANGE: InvalidArgumentError,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPreconditionError,
    grpc.StatusCode.UNAVAILABLE: UnavailableError,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceededError,
    grpc.StatusCode.UNIMPLEMENTED: UnimplementedError,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDeniedError,
    grpc.StatusCode.UNAUTHENTICATED: PermissionDeniedError,
    grpc.StatusCode.INTERNAL: InternalServerError,
    grpc.StatusCode.UNKNOWN: InternalServerError,
    grpc.StatusCode.DATA_LOSS: InternalServerError,
}

_BY_CODE = {
    ErrorCode.StreamNotFound: StreamNotFoundError,
    ErrorCode.SubscriptionNotFound: SubscriptionNotFoundError,
    ErrorCode.StreamExists: StreamExistsError,
    ErrorCode.SubscriptionExists: SubscriptionExistsError,
    ErrorCode.StreamFoundSubscription: StreamHasSubscriptionsError,
    ErrorCode.SubscriptionFoundActiveConsumers: SubscriptionHasConsumersError,
    ErrorCode.SubscriptionCreationOnNonExistentStream: SubscriptionStreamNotFoundError,
}


def _parse_details(details):
    """(ErrorCode or None, message) of a status description."""
    if not details:
        return None, ""
    try:
        body = json.loads(details)
    except ValueError:
        return None, details
    if not isinstance(body, dict) or "error" not in body:
        return None, details
    message = str(body.get("message", details))
    try:
        return ErrorCode(int(body["error"])), message
    except (TypeError, ValueError):
        return None, message


def _choose(status, error_code):
    if error_code is not None:
        cls = _BY_CODE.get(error_code)
        if cls is not None and (status is None or issubclass(cls, _BY_STATUS.get(status, InletError))):
            return cls
        if error_code == ErrorCode.ShardReaderInvalidObjectIdentifier:
            if status == grpc.StatusCode.NOT_FOUND:
                return ShardReaderNotFoundError
            if status == grpc.StatusCode.ALREADY_EXISTS:
                return ShardReaderExistsError
    return _BY_STATUS.get(status, InletError)


def from_rpc_error(error, context=None):
    """The SDK exception for a ``grpc.RpcError`` (returned, not raised).

    :param context: what the SDK was doing, prefixed to the message when the server sent none
    """
    if isinstance(error, InletError):
        return error
    status = error.code() if callable(getattr(error, "code", None)) else None
    details = error.details() if callable(getattr(error, "details", None)) else str(error)
    exc = from_status(status, details, context)
    exc.__cause__ = error if isinstance(error, BaseException) else None
    return exc


def from_status(status, details, context=None):
    """The SDK exception for a gRPC status code and its details (returned, not raised)."""
    error_code, message = _parse_details(details)
    if not message:
        message = (context + ": " if context else "") + (status.name if status else "call failed")
    cls = _choose(status, error_code)
    if cls is AlreadyExistsError and "consumer" in message and "already connected" in message:
        cls = ConsumerExistsError
    return cls(message, status=status, error_code=error_code)
