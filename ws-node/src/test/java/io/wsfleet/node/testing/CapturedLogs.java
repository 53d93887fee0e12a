package io.wsfleet.node.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/** Every log line of the test JVM during one test. Register with {@code @RegisterExtension}. */
public final class CapturedLogs implements BeforeEachCallback, AfterEachCallback {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @Override
  public void beforeEach(ExtensionContext context) {
    appender.start();
    root.addAppender(appender);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    root.detachAppender(appender);
    appender.stop();
  }

  /** The formatted messages logged so far, with their exceptions' messages. */
  public List<String> lines() {
    synchronized (appender.list) {
      return appender.list.stream()
          .map(
              e ->
                  e.getFormattedMessage()
                      + (e.getThrowableProxy() == null
                          ? ""
                          : " " + e.getThrowableProxy().getMessage()))
          .toList();
    }
  }
}
