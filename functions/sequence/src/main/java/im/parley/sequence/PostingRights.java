package im.parley.sequence;

import im.parley.eventing.message.MessageRejected.Reason;
import java.util.Optional;

/** Who may post where. Empty means allowed; otherwise the reason the sender is told. */
public interface PostingRights {

    Optional<Reason> check(String conversationId, String userId);
}
