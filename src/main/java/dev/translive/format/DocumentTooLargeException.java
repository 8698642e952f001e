package dev.translive.format;

/** A document that passes a configured bound (upload.maxSegments, maxCharacters, maxPages): 413, not corrupt. */
public class DocumentTooLargeException extends FormatException {
  public DocumentTooLargeException(String message) {
    super(message);
  }
}
