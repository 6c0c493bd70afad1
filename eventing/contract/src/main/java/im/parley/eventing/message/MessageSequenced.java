package im.parley.eventing.message;

/** duplicate is true when the clientMsgId was seen before and its original seq is returned. */
public record MessageSequenced(Message message, Boolean duplicate) {
}
