package io.inlet.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests of one HTTP connection, in order: {@code /health} and {@code /ready} at once
 * on the event loop (they read a few fields), {@code /metrics} on the scrape executor (a scrape
 * walks every meter and must not hold up other connections). Requests pipelined on one connection
 * are answered one after another.
 *
 * <p>Event loop only.
 */
final class EndpointHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(EndpointHandler.class);
  private static final String JSON = "application/json";

  private final Supplier<HttpEndpoints.Readiness> readiness;
  private final HttpEndpoints.Metrics metrics;
  private final Executor scrapes;
  private final MetricsToken token;
  private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

  EndpointHandler(
      Supplier<HttpEndpoints.Readiness> readiness,
      HttpEndpoints.Metrics metrics,
      Executor scrapes,
      MetricsToken token) {
    this.readiness = readiness;
    this.metrics = metrics;
    this.scrapes = scrapes;
    this.token = token;
  }

  /** What a response needs from its request; the request itself is released after the read. */
  private record Request(
      HttpVersion version,
      boolean head,
      boolean keepAlive,
      boolean malformed,
      String method,
      String path,
      String authorization) {}

  /** A response before it becomes Netty's: status, headers that matter, body. */
  private record Answer(
      HttpResponseStatus status, String contentType, String body, String allow, boolean challenge) {
    static Answer json(HttpResponseStatus status, String body) {
      return new Answer(status, JSON, body, null, false);
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
    Request request =
        new Request(
            msg.protocolVersion(),
            HttpMethod.HEAD.equals(msg.method()),
            HttpUtil.isKeepAlive(msg),
            !msg.decoderResult().isSuccess(),
            msg.method().name(),
            new QueryStringDecoder(msg.uri()).path(),
            msg.headers().get(HttpHeaderNames.AUTHORIZATION));
    CompletableFuture<Answer> answer = answer(request);
    previous =
        previous
            .thenCompose(ignored -> answer)
            .handleAsync(
                (result, failure) -> {
                  if (failure != null) {
                    log.warn("GET /metrics failed: {}", failure.toString());
                    result =
                        Answer.json(
                            HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            "{\"error\":\"scrape failed\"}");
                  }
                  write(ctx, request, result);
                  return null;
                },
                ctx.executor());
  }

  private CompletableFuture<Answer> answer(Request request) {
    if (request.malformed()) {
      return done(Answer.json(HttpResponseStatus.BAD_REQUEST, "{\"error\":\"bad request\"}"));
    }
    String path = request.path();
    if (!path.equals("/metrics") && !path.equals("/health") && !path.equals("/ready")) {
      return done(Answer.json(HttpResponseStatus.NOT_FOUND, "{\"error\":\"not found\"}"));
    }
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      return done(
          new Answer(
              HttpResponseStatus.METHOD_NOT_ALLOWED,
              JSON,
              "{\"error\":\"method not allowed\"}",
              "GET, HEAD",
              false));
    }
    return switch (path) {
      case "/health" -> done(Answer.json(HttpResponseStatus.OK, "{\"status\":\"UP\"}"));
      case "/ready" -> done(ready(readiness.get()));
      default -> metrics(request);
    };
  }

  private CompletableFuture<Answer> metrics(Request request) {
    if (!token.admits(request.authorization())) {
      return done(
          new Answer(
              HttpResponseStatus.UNAUTHORIZED,
              JSON,
              "{\"error\":\"/metrics needs Authorization: Bearer <http-token-file's token>\"}",
              null,
              true));
    }
    try {
      return CompletableFuture.supplyAsync(
          () ->
              new Answer(
                  HttpResponseStatus.OK, metrics.contentType(), metrics.scrape(), null, false),
          scrapes);
    } catch (RejectedExecutionException e) {
      return done(
          Answer.json(HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"error\":\"shutting down\"}"));
    }
  }

  private static Answer ready(HttpEndpoints.Readiness r) {
    String body =
        "{\"ready\":"
            + r.ready()
            + ",\"checks\":{\"store\":\""
            + (!r.storeOpen()
                ? "closed"
                : r.storeRefusesWrites() == null ? "open" : "refusing writes")
            + "\""
            + (r.storeRefusesWrites() == null
                ? ""
                : ",\"storeReason\":\"" + jsonEscape(r.storeRefusesWrites()) + "\"")
            + (r.metadataLag() == null
                ? ""
                : ",\"metadata\":\"not caught up\",\"metadataReason\":\""
                    + jsonEscape(r.metadataLag())
                    + "\"")
            + (r.mqttRulesUnread() ? ",\"mqttRules\":\"not read yet\"" : "")
            + ",\"grpc\":"
            + listener(r.grpcPort())
            + ",\"http\":"
            + listener(r.httpPort())
            + "}}";
    return Answer.json(
        r.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
  }

  private static String jsonEscape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String listener(int port) {
    return port < 0 ? "{\"bound\":false}" : "{\"bound\":true,\"port\":" + port + "}";
  }

  private static CompletableFuture<Answer> done(Answer answer) {
    return CompletableFuture.completedFuture(answer);
  }

  private static void write(ChannelHandlerContext ctx, Request request, Answer answer) {
    if (!ctx.channel().isActive()) {
      return;
    }
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            request.version(),
            answer.status(),
            request.head() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (answer.allow() != null) {
      response.headers().set(HttpHeaderNames.ALLOW, answer.allow());
    }
    if (answer.challenge()) {
      response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"inlet\"");
    }
    boolean keepAlive = request.keepAlive() && !request.malformed();
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "HTTP connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
