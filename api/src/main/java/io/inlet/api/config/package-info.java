/**
 * How settings are declared: each module defines its {@link io.inlet.api.config.Option}s next to
 * the code they configure and builds its typed settings from {@link
 * io.inlet.api.config.OptionValues}; the server only composes them into flags, the YAML config file
 * and the generated reference. It lives in {@code api} because every module already depends on it
 * and the machinery is plain Java (no dependency of its own).
 */
package io.inlet.api.config;
