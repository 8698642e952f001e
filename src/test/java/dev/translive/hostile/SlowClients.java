package dev.translive.hostile;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The slowloris attacker, run as its own process (as a real one would be, so its work does not
 * disturb the test's own measurements): opens {@code count} connections from {@code localAddress},
 * half of them with an unfinished request head, never completes one, prints "opened", then waits
 * for the server to close each and prints "closed N". It starts when told (a line on stdin), so the
 * start of its own JVM is not part of the attack.
 */
public final class SlowClients {
  private SlowClients() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    InetAddress local = InetAddress.getByName(args[1]);
    int count = Integer.parseInt(args[2]);
    int readTimeoutMs = Integer.parseInt(args[3]);
    System.out.println("ready");
    System.out.flush();
    new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Socket s = new Socket(InetAddress.getLoopbackAddress(), port, local, 0);
      if (i % 2 == 0) {
        try {
          s.getOutputStream().write("GET /api/queue HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException alreadyClosed) {
          // Refused over the per-address cap before the write.
        }
      }
      sockets.add(s);
    }
    System.out.println("opened " + sockets.size());
    System.out.flush();
    int closed = 0;
    for (Socket s : sockets) {
      s.setSoTimeout(readTimeoutMs);
      try (InputStream in = s.getInputStream()) {
        if (in.read() < 0) {
          closed++;
        }
      } catch (IOException reset) {
        closed++;
      }
    }
    System.out.println("closed " + closed);
  }
}
