package im.parley.sequence;

/** A message's seq, and whether its clientMsgId had one already (a retry). */
public record Allocation(long seq, boolean duplicate) {
}
