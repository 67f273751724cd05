package io.inlet.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose client does not send a whole request in time: the clock starts when the
 * connection opens, and again when the last response is written on a kept-alive connection. A
 * client that connects and sends nothing, one that sends a request a byte at a time (slowloris),
 * and one that keeps an idle connection all get the same deadline; while a request is being
 * answered the clock stands still.
 *
 * <p>Sits after the aggregator, so it sees whole requests; event loop only.
 */
final class RequestDeadline extends ChannelDuplexHandler {
  private final long timeoutNanos;
  private ScheduledFuture<?> timer;
  private int unanswered;

  RequestDeadline(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      arm(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    arm(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest) {
      unanswered++;
      disarm();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse) {
      promise = promise.unvoid();
      promise.addListener(
          written -> {
            unanswered--;
            if (unanswered == 0 && ctx.channel().isActive()) {
              arm(ctx);
            }
          });
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    disarm();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    disarm();
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    if (unanswered == 0) {
      ctx.close();
    }
  }
}
