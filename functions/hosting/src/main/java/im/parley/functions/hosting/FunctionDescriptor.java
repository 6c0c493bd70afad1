package im.parley.functions.hosting;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * What a function module declares in {@code META-INF/parley-function.properties}: the Knative Service it is
 * deployed as, the name of its function bean, and the Spring configuration that defines that bean.
 * The same descriptor starts the function as its own HTTP service or inside the local eventing runtime.
 */
public record FunctionDescriptor(String service, String definition, String configuration) {

    public static final String RESOURCE = "META-INF/parley-function.properties";

    public FunctionDescriptor {
        require(service, "service");
        require(definition, "definition");
        require(configuration, "configuration");
    }

    /** Every descriptor on the class path, one per function module. */
    public static List<FunctionDescriptor> discover(ClassLoader loader) {
        List<FunctionDescriptor> found = new ArrayList<>();
        try {
            for (URL url : Collections.list(loader.getResources(RESOURCE))) {
                Properties properties = new Properties();
                try (InputStream in = url.openStream()) {
                    properties.load(in);
                }
                try {
                    found.add(new FunctionDescriptor(properties.getProperty("service"),
                            properties.getProperty("definition"), properties.getProperty("configuration")));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(url + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static void require(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("function descriptor needs '" + key + "'");
        }
    }
}
