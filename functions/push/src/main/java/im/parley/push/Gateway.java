package im.parley.push;

import java.util.concurrent.CompletableFuture;

/** One provider (APNs or FCM): one request per call, no retries here. */
public interface Gateway {

    CompletableFuture<Attempt> send(Notification notification);
}
