package io.inlet.api.config;

/**
 * The values of a node's settings, as the server collected them (flags over the config file over
 * the defaults). A module builds its typed settings from it.
 */
public interface OptionValues {
  /**
   * The option's value, parsed and checked; its default when it was not given. An option whose
   * default is derived ({@link Option#hasDerivedDefault()}) and that was not given yields {@code
   * Optional.empty()}.
   *
   * @throws ConfigException naming the key and the bad value
   */
  <T> T get(Option<T> option);

  /** Whether the option was given (flag or config file) rather than left at its default. */
  boolean isSet(Option<?> option);
}
