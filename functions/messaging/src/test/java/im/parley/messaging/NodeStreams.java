package im.parley.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.eventing.EventJson;
import im.parley.eventing.delivery.DeliveryChannel;
import im.parley.eventing.message.DeviceRef;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What a connection node would read from its delivery stream: each frame with the devices it is for. */
final class NodeStreams {

    record Delivered(List<DeviceRef> targets, JsonNode frame) {
        String type() {
            return frame.path("t").asText();
        }
    }

    private final Redis redis;

    NodeStreams(Redis redis) {
        this.redis = redis;
    }

    List<Delivered> read(String nodeId) throws Exception {
        Response entries = redis.send(Request.cmd(Command.XRANGE).arg(DeliveryChannel.streamKey(nodeId)).arg("-").arg("+"))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        List<Delivered> delivered = new ArrayList<>();
        for (Response entry : entries) {
            Response fields = entry.get(1);
            String targets = null;
            byte[] frame = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if (fields.get(i).toString().equals(DeliveryChannel.TARGETS)) {
                    targets = fields.get(i + 1).toString();
                } else if (fields.get(i).toString().equals(DeliveryChannel.FRAME)) {
                    frame = fields.get(i + 1).toBytes();
                }
            }
            delivered.add(new Delivered(DeliveryChannel.Entry.decodeTargets(targets), EventJson.MAPPER.readTree(frame)));
        }
        return delivered;
    }

    List<JsonNode> frames(String nodeId, String type) throws Exception {
        return read(nodeId).stream().filter(d -> d.type().equals(type)).map(Delivered::frame).toList();
    }
}
