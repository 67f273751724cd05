package io.inlet.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.error.InletException;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.record.InvalidBatchException;
import io.inlet.store.DamagedDataException;
import io.inlet.store.StoreException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class GrpcErrorsTest {

  @Test
  void store_refusals_get_their_hstreamdb_code_and_status() {
    StatusRuntimeException e = GrpcErrors.toStatus(StoreException.shardNotInStream(7, "orders"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.getStatus().getDescription())
        .startsWith("{\"error\":200,\"message\":\"shard 7 does not belong to stream");
    assertThat(code(StoreException.shardNotFound(7))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(new StoreException(StoreException.Reason.STREAM_EXISTS, "x")))
        .isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(code(new StoreException(StoreException.Reason.STREAM_HAS_SUBSCRIPTIONS, "x")))
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(code(new StoreException(StoreException.Reason.INVALID_SHARD_COUNT, "x")))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    for (StoreException.Reason reason : StoreException.Reason.values()) {
      assertThat(StoreErrorMapping.code(reason)).as(reason.name()).isNotNull();
    }
  }

  @Test
  void client_mistakes_map_to_their_status_with_a_json_body() {
    StatusRuntimeException e = GrpcErrors.toStatus(InletException.streamNotFound("orders"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("{\"error\":200,\"message\":\"stream \\\"orders\\\" not found\"}");
    assertThat(code(new InletException(ErrorCode.StreamExists, "x")))
        .isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(code(new InletException(ErrorCode.StreamFoundSubscription, "x")))
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(code(new InletException(ErrorCode.StreamInvalidRecordSize, "x")))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(new InletException(ErrorCode.ShardReaderConflictOffset, "x")))
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void wrapped_failures_are_unwrapped() {
    assertThat(code(new CompletionException(new StoreUnavailableException("disk full"))))
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(
            code(
                new CompletionException(
                    new InvalidBatchException(ErrorCode.StreamEmptyBatchedRecord, "bad"))))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    StatusRuntimeException given = GrpcErrors.notFound(ErrorCode.StreamNotFound, "m");
    assertThat(GrpcErrors.toStatus(new CompletionException(given))).isSameAs(given);
  }

  @Test
  void damaged_data_is_data_loss_not_a_retry() {
    StatusRuntimeException e =
        GrpcErrors.toStatus(
            new CompletionException(
                new DamagedDataException(
                    Path.of("/data"), 7, 42, "stored batch 42 of shard 7 is damaged", null)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DATA_LOSS);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("{\"error\":0,\"message\":\"stored batch 42 of shard 7 is damaged\"}");
  }

  @Test
  void unexpected_failures_are_internal() {
    assertThat(code(new IllegalStateException("boom"))).isEqualTo(Status.Code.INTERNAL);
  }

  @Test
  void json_body_escapes_control_characters_and_quotes() {
    assertThat(GrpcErrors.jsonBody(ErrorCode.InternalError, "a\"b\\c\nd\u0001"))
        .isEqualTo("{\"error\":0,\"message\":\"a\\\"b\\\\c\\nd\\u0001\"}");
  }

  private static Status.Code code(Throwable t) {
    return GrpcErrors.toStatus(t).getStatus().getCode();
  }

  @Test
  void long_messages_are_cut_so_that_the_status_fits_in_a_header() {
    String body =
        GrpcErrors.toStatus(
                new InletException(
                    ErrorCode.StreamInvalidOffset, "record id is \"" + "9".repeat(20_000) + "\""))
            .getStatus()
            .getDescription();
    assertThat(body).hasSizeLessThan(1100).endsWith("… (19015 more characters)\"}");
  }
}
