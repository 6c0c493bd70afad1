package im.parley.stack.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class real servers: declare a {@code KafkaServer}, {@code RedisServer} or {@code CassandraServer}
 * parameter (constructor, lifecycle or test method). Each server starts once per test JVM, when first asked for,
 * and is shared by every test class; it stops when the JVM's tests are done.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalStackExtension.class)
public @interface LocalStack {
}
