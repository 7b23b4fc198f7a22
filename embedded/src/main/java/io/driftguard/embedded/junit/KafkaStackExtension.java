package io.driftguard.embedded.junit;

import io.driftguard.embedded.EmbeddedStack;
import io.driftguard.embedded.KafkaStackInfo;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives tests a running Kafka broker and schema registry: ONE stack per test JVM, started on first use and closed
 * when the run ends. Inject it as a parameter or a (static or instance) field of type {@link KafkaStackInfo} or
 * {@link EmbeddedStack}:
 *
 * <pre>{@code
 * @ExtendWith(KafkaStackExtension.class)
 * class MyTest {
 *   static KafkaStackInfo stack;
 *   @Test void shouldX(KafkaStackInfo stack) { ... }
 * }
 * }</pre>
 *
 * <p>By default the stack is an {@link EmbeddedStack}. With {@code -Ddriftguard.test.containers=true} and a Docker
 * engine, it is {@code apache/kafka} + {@code confluentinc/cp-schema-registry} containers instead; without Docker it
 * falls back to the embedded stack, so the build never fails for want of Docker. Tests share the stack: use unique
 * topic and subject names per test class.
 */
public final class KafkaStackExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {
  /** System property that asks for containers instead of the embedded stack. */
  public static final String CONTAINERS_PROPERTY = "driftguard.test.containers";
  private static final Logger LOG = LoggerFactory.getLogger(KafkaStackExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaStackExtension.class);
  private static final String KEY = "stack";

  /** Closes the stack when the root context closes, i.e. at the end of the run. */
  static final class StackResource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final KafkaStackInfo stack;
    private boolean closed;

    StackResource(final KafkaStackInfo stack) {
      this.stack = stack;
    }

    @Override
    public synchronized void close() throws Exception {
      if (closed) {
        return;
      }
      closed = true;
      if (stack instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  /** The shared stack, started if needed. */
  public static KafkaStackInfo stack(final ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(KEY, key -> new StackResource(startStack()), StackResource.class).stack;
  }

  private static KafkaStackInfo startStack() {
    if (Boolean.getBoolean(CONTAINERS_PROPERTY)) {
      if (testcontainersPresent() && ContainerStack.dockerAvailable()) {
        LOG.info("Starting Kafka and schema registry containers ({}, {})", ContainerStack.KAFKA_IMAGE,
            ContainerStack.REGISTRY_IMAGE);
        return ContainerStack.start();
      }
      LOG.warn("{}=true but Docker (or Testcontainers) is not available; using the embedded stack",
          CONTAINERS_PROPERTY);
    }
    return EmbeddedStack.start(EmbeddedStack.Options.defaults());
  }

  private static boolean testcontainersPresent() {
    try {
      Class.forName("org.testcontainers.DockerClientFactory", false, KafkaStackExtension.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  public void beforeAll(final ExtensionContext context) throws IllegalAccessException {
    final Class<?> testClass = context.getRequiredTestClass();
    for (Class<?> type = testClass; type != null && type != Object.class; type = type.getSuperclass()) {
      for (final Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && injectable(field.getType())) {
          inject(field, null, context);
        }
      }
    }
  }

  @Override
  public void postProcessTestInstance(final Object testInstance, final ExtensionContext context)
      throws IllegalAccessException {
    for (Class<?> type = testInstance.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
      for (final Field field : type.getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers()) && injectable(field.getType())) {
          inject(field, testInstance, context);
        }
      }
    }
  }

  private static boolean injectable(final Class<?> type) {
    return type == KafkaStackInfo.class || type == EmbeddedStack.class;
  }

  private static void inject(final Field field, final Object target, final ExtensionContext context)
      throws IllegalAccessException {
    if (Modifier.isFinal(field.getModifiers())) {
      throw new ExtensionConfigurationException("Field " + field + " must not be final to receive the Kafka stack");
    }
    field.setAccessible(true);
    field.set(target, resolve(field.getType(), field.toString(), context));
  }

  private static Object resolve(final Class<?> type, final String where, final ExtensionContext context) {
    final KafkaStackInfo stack = stack(context);
    if (type == EmbeddedStack.class && !(stack instanceof EmbeddedStack)) {
      throw new ExtensionConfigurationException(where + " asks for an EmbeddedStack, but the stack runs in "
          + "containers; declare it as KafkaStackInfo");
    }
    return stack;
  }

  @Override
  public boolean supportsParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext) {
    return injectable(parameterContext.getParameter().getType());
  }

  @Override
  public Object resolveParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext) {
    try {
      return resolve(parameterContext.getParameter().getType(), parameterContext.getParameter().toString(),
          extensionContext);
    } catch (ExtensionConfigurationException e) {
      throw new ParameterResolutionException(e.getMessage(), e);
    }
  }
}
