package dev.translive.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Generators for the hostile payloads of issue 10: small on the wire, expensive if trusted. */
final class Payloads {
  private Payloads() {}

  /** A valid one-page PDF (under 1 KB) whose page tree claims {@code declaredPages} pages. */
  static byte[] pdfDeclaringPages(long declaredPages) {
    String content = "BT /F1 12 Tf 72 720 Td (Hello there, this is a page.) Tj ET";
    String[] objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count " + declaredPages + " >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length " + content.length() + " >>\nstream\n" + content + "\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
    StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
    long[] offsets = new long[objects.length];
    for (int i = 0; i < objects.length; i++) {
      offsets[i] = pdf.length();
      pdf.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
    }
    long xref = pdf.length();
    pdf.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
    for (long offset : offsets) {
      pdf.append(String.format("%010d 00000 n \n", offset));
    }
    pdf.append("trailer\n<< /Size ").append(objects.length + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
    return pdf.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** A .docx of a few MB whose document.xml expands to tens of MB: {@code paragraphs} one-line paragraphs. */
  static byte[] docxWithParagraphs(int paragraphs) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      entry(zip, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
          + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
          + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
          + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
          + "<Override PartName=\"/word/document.xml\" "
          + "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>");
      entry(zip, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
          + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
          + "Target=\"word/document.xml\"/></Relationships>");
      zip.putNextEntry(new ZipEntry("word/document.xml"));
      zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
          + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>")
          .getBytes(StandardCharsets.UTF_8));
      StringBuilder chunk = new StringBuilder();
      for (int i = 0; i < paragraphs; i++) {
        chunk.append("<w:p><w:r><w:t>Paragraph number ").append(i).append(" says little.</w:t></w:r></w:p>");
        if (chunk.length() > 64 * 1024) {
          zip.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
          chunk.setLength(0);
        }
      }
      zip.write((chunk + "</w:body></w:document>").getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  /** Plain text of {@code segments} distinct short sentences, one a line (about 20 bytes each). */
  static byte[] textWithSegments(int segments) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segments * 20);
    for (int i = 0; i < segments; i++) {
      bytes.writeBytes(("Line " + i + " is here.\n").getBytes(StandardCharsets.US_ASCII));
    }
    return bytes.toByteArray();
  }

  /** Text of about {@code bytes} bytes in few, long lines: cheap to read, heavy on disk. */
  static byte[] bulkyText(int bytes) {
    byte[] line = ("x".repeat(8191) + "\n").getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes);
    while (out.size() < bytes) {
      out.writeBytes(line);
    }
    return out.toByteArray();
  }

  private static void entry(ZipOutputStream zip, String name, String content) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(content.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }
}
