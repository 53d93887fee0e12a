package io.wsfleet.contract;

/**
 * How the operator authenticates to a server's admin API: {@code Authorization: Bearer <token>},
 * the token being the one in {@link Settings#ADMIN_TOKEN_FILE}.
 */
public final class AdminAuth {

  public static final String HEADER = "Authorization";

  public static final String SCHEME = "Bearer";

  /** Where the operator mounts the fleet's token Secret in each server pod. */
  public static final String TOKEN_DIR = "/var/run/wsfleet/admin-token";

  /** The Secret's key, hence the file's name under {@link #TOKEN_DIR}. */
  public static final String TOKEN_KEY = "token";

  /** The file {@link Settings#ADMIN_TOKEN_FILE} names on every pod the operator creates. */
  public static final String TOKEN_FILE = TOKEN_DIR + "/" + TOKEN_KEY;

  private AdminAuth() {}

  /** The header's value for a token. */
  public static String headerValue(String token) {
    return SCHEME + " " + token;
  }
}
