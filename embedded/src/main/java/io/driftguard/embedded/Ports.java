package io.driftguard.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks free ports and checks requested ones, so a busy port fails with a message naming it. */
final class Ports {
  private Ports() {
  }

  /** Returns {@code port} if it is free, a free port if it is 0; throws naming the port otherwise. */
  static int resolve(final int port, final String what) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(what + " port must be 0 (ephemeral) or 1-65535, was " + port);
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(what + " port " + port + " is already in use (" + e.getMessage()
          + "); choose another port or 0 for an ephemeral one", e);
    }
  }
}
