package io.inlet.server.admin;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.inlet.api.admin.AddRuleRequest;
import io.inlet.api.admin.AddRuleResponse;
import io.inlet.api.admin.DeleteRuleRequest;
import io.inlet.api.admin.DeleteRuleResponse;
import io.inlet.api.admin.DeleteUserRequest;
import io.inlet.api.admin.DeleteUserResponse;
import io.inlet.api.admin.GetBridgeStatusRequest;
import io.inlet.api.admin.GetBridgeStatusResponse;
import io.inlet.api.admin.InletAdminGrpc;
import io.inlet.api.admin.ListRulesRequest;
import io.inlet.api.admin.ListRulesResponse;
import io.inlet.api.admin.ListUsersRequest;
import io.inlet.api.admin.ListUsersResponse;
import io.inlet.api.admin.PutUserRequest;
import io.inlet.api.admin.PutUserResponse;
import io.inlet.bridge.client.BridgeStatus;
import io.inlet.bridge.rules.IngestCounters;
import io.inlet.bridge.rules.InvalidRuleException;
import io.inlet.bridge.rules.RuleBook;
import io.inlet.bridge.rules.RuleBookException;
import io.inlet.bridge.rules.RuleEntry;
import io.inlet.server.grpc.GrpcErrors;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code inlet.admin.v1.InletAdmin}: runtime mapping rules, stored MQTT users and bridge status.
 * Rule and user changes write durably to the store, so they run on the gRPC executor, never on an
 * event loop.
 *
 * <p>Errors: INVALID_ARGUMENT for a bad rule (the message names the setting) or user,
 * ALREADY_EXISTS, NOT_FOUND, FAILED_PRECONDITION for a config-file rule, UNAVAILABLE when the store
 * cannot write.
 */
public final class InletAdminService extends InletAdminGrpc.InletAdminImplBase {
  private final RuleBook rules;
  private final IngestCounters counters;
  private final Supplier<List<BridgeStatus>> bridges;
  private final MqttUsers users;

  public InletAdminService(
      RuleBook rules,
      IngestCounters counters,
      Supplier<List<BridgeStatus>> bridges,
      MqttUsers users) {
    this.rules = rules;
    this.counters = counters;
    this.bridges = bridges;
    this.users = users;
  }

  @Override
  public void putUser(PutUserRequest request, StreamObserver<PutUserResponse> response) {
    answer(
        response,
        () ->
            PutUserResponse.newBuilder()
                .setCreated(
                    invalidArgument(
                        () -> users.put(request.getUsername(), request.getPasswordHash())))
                .build());
  }

  @Override
  public void deleteUser(DeleteUserRequest request, StreamObserver<DeleteUserResponse> response) {
    answer(
        response,
        () -> {
          if (!invalidArgument(() -> users.delete(request.getUsername()))) {
            throw Status.NOT_FOUND
                .withDescription("user \"" + request.getUsername() + "\" not found")
                .asRuntimeException();
          }
          return DeleteUserResponse.getDefaultInstance();
        });
  }

  @Override
  public void listUsers(ListUsersRequest request, StreamObserver<ListUsersResponse> response) {
    answer(
        response, () -> ListUsersResponse.newBuilder().addAllUsernames(users.usernames()).build());
  }

  /** {@code body}'s answer; INVALID_ARGUMENT with its message when it refuses its arguments. */
  private static <T> T invalidArgument(Supplier<T> body) {
    try {
      return body.get();
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
  }

  @Override
  public void addRule(AddRuleRequest request, StreamObserver<AddRuleResponse> response) {
    answer(
        response,
        () -> {
          if (!request.hasRule()) {
            throw Status.INVALID_ARGUMENT.withDescription("rule is required").asRuntimeException();
          }
          RuleBook.Added added = rules.add(AdminMessages.toRule(request.getRule()));
          AddRuleResponse.Builder answer =
              AddRuleResponse.newBuilder().setRule(AdminMessages.toMessage(added.entry()));
          added
              .shadowedBy()
              .ifPresent(earlier -> answer.addWarnings(shadowWarning(added.entry(), earlier)));
          return answer.build();
        });
  }

  private static String shadowWarning(RuleEntry rule, RuleEntry earlier) {
    return "rule \""
        + rule.rule().name()
        + "\" is never reached: rule \""
        + earlier.rule().name()
        + "\" (position "
        + earlier.rule().position()
        + ", topic "
        + earlier.rule().topicFilter()
        + ") is tried first and matches every topic it matches; give it a position below "
        + earlier.rule().position();
  }

  @Override
  public void listRules(ListRulesRequest request, StreamObserver<ListRulesResponse> response) {
    answer(
        response,
        () -> {
          ListRulesResponse.Builder answer = ListRulesResponse.newBuilder();
          rules.current().entries().forEach(e -> answer.addRules(AdminMessages.toMessage(e)));
          return answer.setCounts(AdminMessages.toMessage(counters)).build();
        });
  }

  @Override
  public void deleteRule(DeleteRuleRequest request, StreamObserver<DeleteRuleResponse> response) {
    answer(
        response,
        () -> {
          rules.delete(request.getName());
          return DeleteRuleResponse.getDefaultInstance();
        });
  }

  @Override
  public void getBridgeStatus(
      GetBridgeStatusRequest request, StreamObserver<GetBridgeStatusResponse> response) {
    answer(
        response,
        () -> {
          GetBridgeStatusResponse.Builder answer = GetBridgeStatusResponse.newBuilder();
          for (BridgeStatus status : bridges.get()) {
            if (request.getName().isEmpty() || request.getName().equals(status.name())) {
              answer.addBridges(AdminMessages.toMessage(status));
            }
          }
          if (!request.getName().isEmpty() && answer.getBridgesCount() == 0) {
            throw Status.NOT_FOUND
                .withDescription("bridge \"" + request.getName() + "\" not found")
                .asRuntimeException();
          }
          return answer.build();
        });
  }

  private static <T> void answer(StreamObserver<T> response, Supplier<T> body) {
    T answer;
    try {
      answer = body.get();
    } catch (RuntimeException e) {
      response.onError(toStatus(e));
      return;
    }
    response.onNext(answer);
    response.onCompleted();
  }

  private static StatusRuntimeException toStatus(RuntimeException e) {
    if (e instanceof StatusRuntimeException s) {
      return s;
    }
    if (e instanceof InvalidRuleException) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof RuleBookException r) {
      Status status =
          switch (r.reason()) {
            case EXISTS -> Status.ALREADY_EXISTS;
            case NOT_FOUND -> Status.NOT_FOUND;
            case NOT_RUNTIME -> Status.FAILED_PRECONDITION;
          };
      return status.withDescription(e.getMessage()).asRuntimeException();
    }
    return GrpcErrors.toStatus(e);
  }
}
