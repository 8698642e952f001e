package dev.translive.format;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Decoding and re-encoding of plain-text formats, so a translated file keeps its encoding and BOM. */
final class TextFiles {

  /** A decoded file plus what is needed to encode it back the same way. */
  record Decoded(String text, Charset charset, byte[] byteOrderMark) {
    byte[] encode(String newText) {
      byte[] body = newText.getBytes(charset);
      byte[] all = Arrays.copyOf(byteOrderMark, byteOrderMark.length + body.length);
      System.arraycopy(body, 0, all, byteOrderMark.length, body.length);
      return all;
    }
  }

  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final byte[] UTF16LE_BOM = {(byte) 0xFF, (byte) 0xFE};
  private static final byte[] UTF16BE_BOM = {(byte) 0xFE, (byte) 0xFF};

  /** Legacy subtitle files are often Windows-1252; it decodes any byte, so it is the fallback. */
  private static final Charset LEGACY = Charset.forName("windows-1252");

  private TextFiles() {}

  /** Uses the BOM if present, else UTF-8 if the bytes are valid UTF-8, else Windows-1252. */
  static Decoded decode(byte[] bytes) {
    if (startsWith(bytes, UTF8_BOM)) {
      return decodeAfterBom(bytes, UTF8_BOM, StandardCharsets.UTF_8);
    }
    if (startsWith(bytes, UTF16LE_BOM)) {
      return decodeAfterBom(bytes, UTF16LE_BOM, StandardCharsets.UTF_16LE);
    }
    if (startsWith(bytes, UTF16BE_BOM)) {
      return decodeAfterBom(bytes, UTF16BE_BOM, StandardCharsets.UTF_16BE);
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return new Decoded(text, StandardCharsets.UTF_8, new byte[0]);
    } catch (CharacterCodingException e) {
      return new Decoded(new String(bytes, LEGACY), LEGACY, new byte[0]);
    }
  }

  /**
   * Whether the head of a file looks like text rather than a binary: UTF-16 with a BOM, or no NUL
   * bytes and hardly any other control characters.
   */
  static boolean looksLikeText(byte[] head) {
    if (startsWith(head, UTF16LE_BOM) || startsWith(head, UTF16BE_BOM)) {
      return true;
    }
    int controls = 0;
    for (byte b : head) {
      if (b == 0) {
        return false;
      }
      if (b > 0 && b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') {
        controls++;
      }
    }
    return controls * 100 <= head.length; // at most 1 %
  }

  /** The head without a UTF-8 BOM, as ASCII-compatible text for checking a signature. */
  static String asciiHead(byte[] head) {
    int skip = startsWith(head, UTF8_BOM) ? UTF8_BOM.length : 0;
    return new String(head, skip, head.length - skip, StandardCharsets.ISO_8859_1);
  }

  private static Decoded decodeAfterBom(byte[] bytes, byte[] bom, Charset charset) {
    return new Decoded(new String(bytes, bom.length, bytes.length - bom.length, charset), charset, bom);
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }
}
