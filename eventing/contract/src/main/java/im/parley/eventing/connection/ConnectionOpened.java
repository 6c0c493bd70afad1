package im.parley.eventing.connection;

public record ConnectionOpened(String platform, int protocolVersion) {
}
