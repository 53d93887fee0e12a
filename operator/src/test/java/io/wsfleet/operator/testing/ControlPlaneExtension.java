package io.wsfleet.operator.testing;

import io.wsfleet.localcluster.ControlPlane;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects one {@link ControlPlane} shared by every test class of a test JVM; it stops when the
 * JVM's test run ends. Each test works in its own namespace, so sharing is safe.
 */
public final class ControlPlaneExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ControlPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(
            ControlPlane.class,
            key -> new SharedControlPlane(ControlPlane.start()),
            SharedControlPlane.class)
        .controlPlane();
  }

  /** Closes the shared control plane when JUnit closes the root store. */
  private record SharedControlPlane(ControlPlane controlPlane)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() throws Exception {
      controlPlane.close();
    }
  }
}
