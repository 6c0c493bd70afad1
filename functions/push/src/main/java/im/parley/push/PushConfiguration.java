package im.parley.push;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraConfiguration;
import im.parley.eventing.push.PushProvider;
import im.parley.functions.handlers.Handlers;
import im.parley.messages.CassandraMessages;
import im.parley.redis.DeliveryStreams;
import im.parley.redis.RedisConfiguration;
import im.parley.trust.CertificateAuthorities;
import io.vertx.redis.client.Redis;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The push function. A provider without settings is off, and its devices' notifications fail as not-configured.
 * <ul>
 *   <li>APNs: {@code PARLEY_APNS_TEAM_ID}, {@code PARLEY_APNS_KEY_ID}, {@code PARLEY_APNS_KEY} (the .p8 file),
 *       {@code PARLEY_APNS_TOPIC} (the bundle id, when a device gives none), {@code PARLEY_APNS_URL} (default
 *       https://api.push.apple.com), {@code PARLEY_APNS_CA} (a PEM file to trust instead of the system's).</li>
 *   <li>FCM: {@code PARLEY_FCM_CREDENTIALS} (the service-account JSON file), {@code PARLEY_FCM_URL} (default
 *       https://fcm.googleapis.com).</li>
 *   <li>{@code PARLEY_PUSH_COLLAPSE_WINDOW} (default PT5M), {@code PARLEY_PUSH_RATE_PER_MINUTE} (default 30),
 *       {@code PARLEY_PUSH_MAX_ATTEMPTS} (default 5), {@code PARLEY_PUSH_BACKOFF} (first retry, default PT0.2S),
 *       {@code PARLEY_PUSH_DEADLINE} (default PT8S, under the Trigger's 10 s timeout).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@Import({RedisConfiguration.class, CassandraConfiguration.class})
public class PushConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PushConfiguration.class);

    @Bean
    Handlers push(Redis redis, DeliveryStreams streams, CqlSession cassandra, Environment env)
            throws Exception {
        Clock clock = Clock.systemUTC();
        Map<PushProvider, Gateway> gateways = new EnumMap<>(PushProvider.class);
        String apnsKey = env.getProperty("PARLEY_APNS_KEY");
        if (apnsKey != null) {
            HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5));
            String ca = env.getProperty("PARLEY_APNS_CA");
            if (ca != null) {
                http.sslContext(CertificateAuthorities.trusting(Path.of(ca)));
            }
            gateways.put(PushProvider.APNS, new ApnsGateway(http.build(),
                    URI.create(env.getProperty("PARLEY_APNS_URL", "https://api.push.apple.com")),
                    env.getRequiredProperty("PARLEY_APNS_TEAM_ID"), env.getRequiredProperty("PARLEY_APNS_KEY_ID"),
                    (ECPrivateKey) Pem.privateKey(Files.readString(Path.of(apnsKey)), "EC"),
                    env.getProperty("PARLEY_APNS_TOPIC", ""), clock));
        }
        String fcmCredentials = env.getProperty("PARLEY_FCM_CREDENTIALS");
        if (fcmCredentials != null) {
            URI url = URI.create(env.getProperty("PARLEY_FCM_URL", "https://fcm.googleapis.com"));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .version(url.getScheme().equals("https") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1).build();
            gateways.put(PushProvider.FCM, new FcmGateway(http, url, FcmGateway.ServiceAccount.read(Path.of(fcmCredentials)), clock));
        }
        LOG.info("push providers configured: {}", gateways.keySet());
        Retrying retrying = new Retrying(Integer.parseInt(env.getProperty("PARLEY_PUSH_MAX_ATTEMPTS", "5")),
                Duration.parse(env.getProperty("PARLEY_PUSH_BACKOFF", "PT0.2S")), Duration.ofSeconds(5), clock);
        PushFunction.Policy policy = new PushFunction.Policy(
                Duration.parse(env.getProperty("PARLEY_PUSH_COLLAPSE_WINDOW", "PT5M")),
                Integer.parseInt(env.getProperty("PARLEY_PUSH_RATE_PER_MINUTE", "30")),
                Duration.parse(env.getProperty("PARLEY_PUSH_DEADLINE", "PT8S")));
        return new PushFunction(new CassandraDeviceTokens(cassandra), new CassandraMessages(cassandra), new RedisPushLedger(redis), gateways, retrying, policy,
                streams::send, clock).handlers();
    }
}
