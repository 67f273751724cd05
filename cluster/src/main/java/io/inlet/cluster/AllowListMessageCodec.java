package io.inlet.cluster;

import io.scalecube.cluster.transport.api.Message;
import io.scalecube.cluster.transport.api.MessageCodec;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/**
 * scalecube's messages as its own JDK codec writes them, read back through an allow-list: only
 * scalecube's membership types and plain JDK values deserialize, so a peer cannot make this node
 * instantiate arbitrary classes (the JDK codec would).
 */
final class AllowListMessageCodec implements MessageCodec {
  static final ObjectInputFilter FILTER =
      ObjectInputFilter.Config.createFilter(
          "maxdepth=20;maxrefs=10000;maxarray=1048576;"
              + "io.scalecube.cluster.**;io.scalecube.net.*;"
              + "java.lang.*;java.util.*;java.nio.*;!*");

  @Override
  public Message deserialize(InputStream stream) throws Exception {
    Message message = new Message();
    try (ObjectInputStream in = new ObjectInputStream(stream)) {
      in.setObjectInputFilter(FILTER);
      message.readExternal(in);
    }
    return message;
  }

  @Override
  public void serialize(Message message, OutputStream stream) throws Exception {
    try (ObjectOutputStream out = new ObjectOutputStream(stream)) {
      message.writeExternal(out);
      out.flush();
    }
  }
}
