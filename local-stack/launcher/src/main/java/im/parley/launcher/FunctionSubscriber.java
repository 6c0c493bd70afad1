package im.parley.launcher;

import im.parley.eventing.Attempt;
import im.parley.eventing.runtime.subscriber.Subscriber;
import im.parley.eventing.runtime.subscriber.SubscriberResponse;
import im.parley.functions.hosting.FunctionApplication;
import im.parley.functions.hosting.FunctionFailures;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A function called through its Spring Cloud Function catalog in this process, with the same outcomes as
 * its HTTP form: a reply is a 200, no reply a 202, a refused event a 400 and any other failure a 500. Each call is an
 * {@link Attempt} with the budget its timeout leaves, abandoned when the timeout fires, as over HTTP.
 */
final class FunctionSubscriber implements Subscriber {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionSubscriber.class);

    private final FunctionApplication function;
    private final Executor executor;

    FunctionSubscriber(FunctionApplication function, Executor executor) {
        this.function = function;
        this.executor = executor;
    }

    @Override
    public CompletionStage<SubscriberResponse> deliver(CloudEvent event, Duration timeout) {
        Attempt attempt = Attempt.start(timeout == null ? Duration.ofDays(1) : Attempt.budgetWithin(timeout));
        CompletableFuture<CloudEvent> call = CompletableFuture.supplyAsync(() -> attempt.run(() -> function.apply(event)), executor);
        if (timeout != null) {
            call = call.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        return call.handle((reply, failure) -> {
            if (failure == null) {
                return new SubscriberResponse(reply == null ? 202 : 200, reply, new byte[0]);
            }
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof TimeoutException) {
                attempt.abandon("no answer within " + timeout);
                return SubscriberResponse.failed(function.descriptor().service() + " did not answer within " + timeout);
            }
            int status = FunctionFailures.status(cause);
            if (status >= 500) {
                // As the HTTP host logs it: a failure retried in silence would hide a broken function.
                LOG.warn("function {} failed on event {}", function.descriptor().service(), event.getId(), cause);
            }
            return new SubscriberResponse(status, null, FunctionFailures.reason(cause).getBytes(StandardCharsets.UTF_8));
        });
    }
}
