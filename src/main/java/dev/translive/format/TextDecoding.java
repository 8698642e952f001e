package dev.translive.format;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes plain-text documents: a BOM when present, else strict UTF-8, else the common legacy
 * encodings (GB18030 for Chinese text, windows-1252 for Western text).
 */
public final class TextDecoding {
  private TextDecoding() {}

  public record Decoded(String text, Charset charset, boolean bom) {}

  public static Decoded decode(byte[] bytes) {
    if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
      return new Decoded(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8), StandardCharsets.UTF_8, true);
    }
    if (startsWith(bytes, 0xFF, 0xFE)) {
      return new Decoded(new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE), StandardCharsets.UTF_16LE, true);
    }
    if (startsWith(bytes, 0xFE, 0xFF)) {
      return new Decoded(new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16BE), StandardCharsets.UTF_16BE, true);
    }
    String utf8 = strict(bytes, StandardCharsets.UTF_8);
    if (utf8 != null) {
      return new Decoded(utf8, StandardCharsets.UTF_8, false);
    }
    Charset gb = Charset.forName("GB18030");
    String chinese = strict(bytes, gb);
    if (chinese != null && mostlyHan(chinese)) {
      return new Decoded(chinese, gb, false);
    }
    Charset western = Charset.forName("windows-1252");
    return new Decoded(new String(bytes, western), western, false);
  }

  /** Encodes in the source's charset when it can hold the text, else UTF-8 (translations may need more). */
  public static byte[] encode(String text, Decoded source) {
    Charset charset = source.charset().newEncoder().canEncode(text) ? source.charset() : StandardCharsets.UTF_8;
    byte[] body = text.getBytes(charset);
    if (!source.bom() || charset != source.charset()) {
      return body;
    }
    byte[] bom = charset == StandardCharsets.UTF_8 ? new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}
        : charset == StandardCharsets.UTF_16LE ? new byte[] {(byte) 0xFF, (byte) 0xFE} : new byte[] {(byte) 0xFE, (byte) 0xFF};
    byte[] out = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, out, 0, bom.length);
    System.arraycopy(body, 0, out, bom.length, body.length);
    return out;
  }

  /** True when the bytes look like text: no NUL bytes outside UTF-16. */
  public static boolean looksLikeText(byte[] head) {
    if (startsWith(head, 0xFF, 0xFE) || startsWith(head, 0xFE, 0xFF)) {
      return true;
    }
    for (byte b : head) {
      if (b == 0) {
        return false;
      }
    }
    return true;
  }

  private static String strict(byte[] bytes, Charset charset) {
    CharsetDecoder decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return decoder.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean mostlyHan(String text) {
    long han = text.codePoints().filter(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN).count();
    long nonAscii = text.codePoints().filter(cp -> cp > 127).count();
    return nonAscii > 0 && han * 2 >= nonAscii;
  }

  /** Whether {@code bytes} begin with the unsigned byte values {@code prefix} (magic numbers, BOMs). */
  static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
