package io.inlet.server.config;

import io.inlet.server.http.HttpSettings;
import io.inlet.server.net.GrpcListenerSettings;

/**
 * How the gRPC, ExHook and HTTP ports accept, keep and authenticate connections ({@link
 * io.inlet.server.net.GrpcConfigKeys}, {@link io.inlet.emqx.ExHookConfigKeys}, {@link
 * io.inlet.server.http.HttpConfigKeys}). (The MQTT listener's are in {@link MqttConfig}.)
 *
 * @param grpc the HStreamDB gRPC API's port
 * @param exhook the EMQX ExHook provider's port
 * @param http the HTTP endpoints' port
 * @param ioThreads the event-loop threads the gRPC, ExHook and MQTT listeners share
 */
public record NetworkConfig(
    GrpcListenerSettings grpc, GrpcListenerSettings exhook, HttpSettings http, int ioThreads) {}
