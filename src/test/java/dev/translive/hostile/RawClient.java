package dev.translive.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A client speaking HTTP/1.1 over a plain socket from a chosen loopback address (127.0.0.x), so one
 * test machine plays several clients the server tells apart by address, and can send what a
 * well-behaved library never would (half a request, a thousand parts, forged forwarding headers).
 */
final class RawClient {
  private final InetAddress local;
  private final int port;

  RawClient(String localAddress, int port) throws IOException {
    this.local = InetAddress.getByName(localAddress);
    this.port = port;
  }

  record Response(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** A multipart part: a file when {@code filename} is set, else a form field. */
  record Part(String name, String filename, byte[] content) {
    static Part file(String filename, byte[] content) {
      return new Part("file", filename, content);
    }
  }

  Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, local, 0);
    socket.setSoTimeout(60_000);
    return socket;
  }

  Response get(String path, Map<String, String> headers) throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(head("GET", path, headers, -1).getBytes(StandardCharsets.UTF_8));
      out.flush();
      return read(socket.getInputStream());
    }
  }

  Response upload(Map<String, String> headers, List<Part> parts) throws IOException {
    String boundary = "hostile" + System.nanoTime();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Part part : parts) {
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name() + "\""
          + (part.filename() == null ? "" : "; filename=\"" + part.filename() + "\"")
          + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      body.writeBytes(part.content());
      body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("Content-Type", "multipart/form-data; boundary=" + boundary);
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(head("POST", "/api/tasks", all, body.size()).getBytes(StandardCharsets.UTF_8));
      try {
        body.writeTo(out);
        out.flush();
      } catch (IOException refusedEarly) {
        // The server may answer from the headers and close before the body is all sent.
      }
      return read(socket.getInputStream());
    }
  }

  static String head(String method, String path, Map<String, String> headers, long length) {
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    if (length >= 0) {
      head.append("Content-Length: ").append(length).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  static Response read(InputStream in) throws IOException {
    byte[] all = in.readAllBytes();
    int split = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    if (split < 0) {
      throw new IOException("no HTTP response head in " + all.length + " bytes");
    }
    String[] lines = new String(all, 0, split, StandardCharsets.UTF_8).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(all, split + 4, all.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
  }

  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < chunked.length) {
      int eol = indexOf(java.util.Arrays.copyOfRange(chunked, i, chunked.length), "\r\n".getBytes(StandardCharsets.US_ASCII));
      int size = Integer.parseInt(new String(chunked, i, eol, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(chunked, i + eol + 2, size);
      i += eol + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static List<Part> parts(Part... parts) {
    return new ArrayList<>(List.of(parts));
  }
}
