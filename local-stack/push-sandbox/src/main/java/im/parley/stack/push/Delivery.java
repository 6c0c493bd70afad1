package im.parley.stack.push;

import java.util.Map;

/**
 * One request a provider stand-in received: the device token, the protocol version it came over, the headers that
 * matter to the provider, the JSON body, the status it answered and when (System.nanoTime).
 */
public record Delivery(String token, String protocol, Map<String, String> headers, String body, int status,
                       long receivedNanos) {
}
