package im.parley.eventing.runtime.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.broker.BrokerSink;
import im.parley.eventing.broker.BrokerSinkContract;
import im.parley.eventing.broker.HttpBrokerSink;
import im.parley.eventing.knative.KnativeNames;
import im.parley.eventing.runtime.dispatch.Outbound;
import im.parley.stack.KafkaServer;
import im.parley.stack.junit.LocalStack;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP sink through the runtime's broker ingress to a real Kafka: the same contract as the Kafka sink. */
@LocalStack
class HttpBrokerSinkIT extends BrokerSinkContract {

    static final String NAMESPACE = "ingressit";
    static KafkaServer kafka;
    static Vertx vertx;
    static Outbound outbound;
    static BrokerIngress ingress;
    static HttpBrokerSink sink;

    @BeforeAll
    static void start(KafkaServer server) {
        kafka = server;
        Map<String, String> topics = Map.of(
                NAMESPACE + "/messages", KnativeNames.brokerTopic(NAMESPACE, "messages"),
                NAMESPACE + "/default", KnativeNames.brokerTopic(NAMESPACE, "default"));
        topics.values().forEach(topic -> kafka.createTopic(topic, 2));
        vertx = Vertx.vertx();
        outbound = new Outbound(kafka.bootstrapServers());
        ingress = new BrokerIngress(vertx, "127.0.0.1", 0, topics, outbound);
        sink = new HttpBrokerSink(ingress.uri(), NAMESPACE, Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        sink.close();
        ingress.close();
        outbound.close();
        vertx.close();
    }

    @Override
    protected BrokerSink sink() {
        return sink;
    }

    @Override
    protected List<CloudEvent> onBroker(String broker, int expected) {
        return eventsOn(kafka.bootstrapServers(), KnativeNames.brokerTopic(NAMESPACE, broker), expected);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBrokerThatDoesNotExistIs404AndNamesTheBrokersThatDo() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(ingress.uri().resolve("/" + NAMESPACE + "/nope"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains(NAMESPACE + "/default");
    }

    @Test
    void aBodyThatIsNotACloudEventIs400WithTheReason() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(ingress.uri().resolve("/" + NAMESPACE + "/default"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"hello\":1}")));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isNotBlank();
    }

    @Test
    void onlyPostIsAccepted() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(ingress.uri().resolve("/" + NAMESPACE + "/default")).GET());
        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void anEventLargerThanTheIngressTakesIs413() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(ingress.uri().resolve("/" + NAMESPACE + "/default"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[BrokerIngress.MAX_BODY + 1])));
        assertThat(response.statusCode()).isEqualTo(413);
    }
}
