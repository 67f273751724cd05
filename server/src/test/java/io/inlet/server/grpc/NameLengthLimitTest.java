package io.inlet.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.EchoRequest;
import io.inlet.api.hstream.GetStreamRequest;
import io.inlet.api.hstream.LookupSubscriptionRequest;
import io.inlet.api.naming.ObjectNames;
import org.junit.jupiter.api.Test;

class NameLengthLimitTest {
  private static final String LONGEST = "n".repeat(ObjectNames.MAX_LENGTH);
  private static final String TOO_LONG = LONGEST + "n";

  @Test
  void refusesAnOverLongStreamNameOfAnAppend() {
    RuntimeException problem =
        NameLengthLimit.problem(AppendRequest.newBuilder().setStreamName(TOO_LONG).build());

    assertThat(problem).isInstanceOf(StatusRuntimeException.class);
    assertThat(Status.fromThrowable(problem).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(problem.getMessage()).contains("stream name").contains("is too long");
  }

  @Test
  void acceptsNamesUpToTheLimit() {
    assertThat(NameLengthLimit.problem(AppendRequest.newBuilder().setStreamName(LONGEST).build()))
        .isNull();
    assertThat(NameLengthLimit.problem(AppendRequest.getDefaultInstance())).isNull();
  }

  @Test
  void knowsFieldsWhoseNameAloneDoesNotSayWhatTheyName() {
    RuntimeException problem =
        NameLengthLimit.problem(GetStreamRequest.newBuilder().setName(TOO_LONG).build());

    assertThat(problem).isNotNull();
    assertThat(problem.getMessage()).contains("stream name");
  }

  @Test
  void checksEveryNamingFieldOfARequest() {
    RuntimeException problem =
        NameLengthLimit.problem(
            LookupSubscriptionRequest.newBuilder().setSubscriptionId(TOO_LONG).build());

    assertThat(problem).isNotNull();
    assertThat(problem.getMessage()).contains("subscription id");
  }

  @Test
  void leavesOtherStringsAlone() {
    assertThat(NameLengthLimit.problem(EchoRequest.newBuilder().setMsg(TOO_LONG).build())).isNull();
    assertThat(NameLengthLimit.problem("not a message")).isNull();
  }
}
