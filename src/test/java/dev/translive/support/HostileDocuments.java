package dev.translive.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Documents built to hurt a reader, shared by format-level and service-level tests. */
public final class HostileDocuments {
  private HostileDocuments() {}

  /** A .docx of about 1 MB whose document.xml inflates to {@code megabytes} MB of zeros. */
  public static void zipBombDocx(OutputStream target, int megabytes) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(target)) {
      zip.setLevel(Deflater.BEST_SPEED);
      zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
      zip.write("<Types/>".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("word/document.xml"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < megabytes; i++) {
        zip.write(zeros);
      }
      zip.closeEntry();
    }
  }

  public static byte[] zipBombDocx(int megabytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    zipBombDocx(out, megabytes);
    return out.toByteArray();
  }
}
