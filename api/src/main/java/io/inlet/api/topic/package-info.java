/**
 * MQTT topic names and topic filters, the one implementation every path into Inlet uses: the
 * listener's PUBLISH and will checks, publish ACLs, mapping rules, bridge subscriptions and the
 * ExHook topic filters. {@link io.inlet.api.topic.TopicNames} checks a name (what a message is
 * published to), {@link io.inlet.api.topic.TopicFilter} parses, validates and matches a filter,
 * {@link io.inlet.api.topic.TopicLevels} splits either into levels.
 */
package io.inlet.api.topic;
