package im.parley.eventing.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConversationIdsTest {

    @Test
    void aPairHasOneConversationAndTheOtherOrderHasNoMembers() {
        assertThat(ConversationIds.direct("bob", "alice")).isEqualTo("d:alice:bob");
        assertThat(ConversationIds.directUsers("d:alice:bob")).containsExactly("alice", "bob");
        assertThat(ConversationIds.directUsers("d:bob:alice")).isEmpty();
        assertThat(ConversationIds.problem("d:bob:alice")).contains("use d:alice:bob");
        assertThat(ConversationIds.problem("d:alice:bob")).isNull();
        assertThat(ConversationIds.problem("d:alice")).contains("does not name two users");
        assertThat(ConversationIds.problem("g:team")).isNull();
    }
}
