package io.inlet.bridge.listener.internal;

import io.inlet.api.ingest.MessageIngestor;
import io.inlet.bridge.auth.Authenticator;
import io.inlet.bridge.listener.ListenerStats;
import io.inlet.bridge.listener.MqttListenerSettings;
import io.inlet.bridge.listener.internal.session.SessionRegistry;
import io.netty.channel.group.ChannelGroup;

/** What every connection of one listener shares. */
public record ListenerContext(
    MqttListenerSettings settings,
    Authenticator authenticator,
    MessageIngestor ingestor,
    SessionRegistry sessions,
    ListenerStats stats,
    ChannelGroup channels) {}
