package im.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinesTest {

    static Message msg(String conversation, long seq) {
        return new Message(conversation, "c" + seq, seq, "ben", "p", "text", "m" + seq, "2026-12-06T00:00:00Z", null, false, false);
    }

    static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::serverSeq).toList();
    }

    @Test
    void messagesAreReleasedOnceAndInOrderAndEarlyOnesWaitForTheGap() {
        Lines lines = new Lines(Map.of("d:a:b", 2L));
        assertThat(seqs(lines.live(msg("d:a:b", 3)))).containsExactly(3L);
        assertThat(lines.live(msg("d:a:b", 3))).as("a duplicate").isEmpty();
        assertThat(lines.live(msg("d:a:b", 6))).as("held behind 4 and 5").isEmpty();
        assertThat(lines.live(msg("d:a:b", 5))).isEmpty();
        assertThat(lines.gaps()).containsExactly("d:a:b");
        assertThat(seqs(lines.live(msg("d:a:b", 4)))).containsExactly(4L, 5L, 6L);
        assertThat(lines.gaps()).isEmpty();
        assertThat(lines.cursor("d:a:b")).isEqualTo(6);
        assertThat(seqs(lines.live(msg("d:a:c", 1)))).as("a new conversation starts at 0").containsExactly(1L);
    }

    @Test
    void aHistoryAnswerFillsTheGapAndASeqTheServerNeverHadIsNotWaitedFor() {
        Lines lines = new Lines(Map.of());
        lines.live(msg("g:crew", 1));
        lines.live(msg("g:crew", 5));
        assertThat(seqs(lines.stored("g:crew", List.of(msg("g:crew", 3), msg("g:crew", 2))))).containsExactly(2L, 3L);
        assertThat(lines.gap("g:crew")).as("4 is still missing").isTrue();
        assertThat(seqs(lines.settle("g:crew"))).as("nothing between on the server: 4 does not exist").containsExactly(5L);
        assertThat(lines.cursor("g:crew")).isEqualTo(5);
        assertThat(seqs(lines.stored("g:crew", List.of(msg("g:crew", 5), msg("g:crew", 6))))).containsExactly(6L);
    }
}
