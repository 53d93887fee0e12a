package io.wsfleet.node.protocol;

/** A client frame the server cannot act on; the code goes back in an error frame. */
public final class ProtocolException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String code;

  public ProtocolException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
