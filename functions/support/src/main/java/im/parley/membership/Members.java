package im.parley.membership;

import java.util.List;

/** Who is in a conversation. */
public interface Members {

    List<String> of(String conversationId);
}
