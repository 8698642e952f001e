package dev.translive.format;

/** A document that cannot be processed; the message is user-facing and names the problem. */
public class FormatException extends Exception {
  public FormatException(String message) {
    super(message);
  }

  public FormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
