package io.inlet.server.grpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.naming.ObjectNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses, with INVALID_ARGUMENT and before any handler sees it, a call whose request names a
 * stream, subscription, reader or consumer with more than {@link ObjectNames#MAX_LENGTH}
 * characters: no such object can exist, and a 10,000-character name must not travel on into
 * lookups, logs and error messages (it made responses too large for the HTTP/2 header limit).
 *
 * <p>Only a call's first request message is checked: the streaming calls (StreamingFetch,
 * ReadStreamByKey) name what they read there and nowhere else.
 */
final class NameLengthLimit implements ServerInterceptor {
  private record Named(String what, ErrorCode code) {}

  private static final Named STREAM =
      new Named("stream name", ErrorCode.StreamInvalidObjectIdentifier);
  private static final Named SUBSCRIPTION =
      new Named("subscription id", ErrorCode.SubscriptionInvalidObjectIdentifier);
  private static final Named READER =
      new Named("reader id", ErrorCode.ShardReaderInvalidObjectIdentifier);
  private static final Named CONSUMER =
      new Named("consumer name", ErrorCode.SubscriptionInvalidObjectIdentifier);

  /** Fields that name the same kind of object in every message that has them. */
  private static final Map<String, Named> BY_FIELD =
      Map.of(
          "streamName", STREAM,
          "subscriptionId", SUBSCRIPTION,
          "readerId", READER,
          "consumerName", CONSUMER);

  /** Fields whose name alone does not say what they name. */
  private static final Map<String, Named> BY_FULL_NAME =
      Map.of(
          "hstream.server.GetStreamRequest.name", STREAM,
          "hstream.server.GetSubscriptionRequest.id", SUBSCRIPTION);

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(call, headers)) {
      private boolean checked;
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (refused) {
          return;
        }
        if (!checked) {
          checked = true;
          RuntimeException problem = problem(message);
          if (problem != null) {
            refused = true;
            call.close(GrpcErrors.toStatus(problem).getStatus(), new Metadata());
            return;
          }
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!refused) {
          super.onReady();
        }
      }
    };
  }

  /** A singular string field of a request type that names an object. */
  private record NamedField(FieldDescriptor field, Named named) {}

  /**
   * Per request type, its fields that name objects, in field-number order: found once per type from
   * its descriptor, so a call reads only those fields instead of reflecting over all of them.
   */
  private static final Map<Descriptor, List<NamedField>> BY_TYPE = new ConcurrentHashMap<>();

  /** The refusal for the first over-long name in the request, or null. */
  static RuntimeException problem(Object request) {
    if (!(request instanceof Message message)) {
      return null;
    }
    for (NamedField named :
        BY_TYPE.computeIfAbsent(message.getDescriptorForType(), NameLengthLimit::namedFields)) {
      if (!(message.getField(named.field()) instanceof String value)
          || value.length() <= ObjectNames.MAX_LENGTH) {
        continue;
      }
      return GrpcErrors.invalidArgument(
          named.named().code(),
          named.named().what()
              + " "
              + ObjectNames.quote(value)
              + " is too long: names have at most "
              + ObjectNames.MAX_LENGTH
              + " characters");
    }
    return null;
  }

  private static List<NamedField> namedFields(Descriptor type) {
    List<NamedField> out = new ArrayList<>();
    for (FieldDescriptor field : type.getFields()) {
      if (field.isRepeated() || field.getJavaType() != FieldDescriptor.JavaType.STRING) {
        continue;
      }
      Named named = BY_FULL_NAME.get(field.getFullName());
      if (named == null) {
        named = BY_FIELD.get(field.getName());
      }
      if (named != null) {
        out.add(new NamedField(field, named));
      }
    }
    return List.copyOf(out);
  }
}
