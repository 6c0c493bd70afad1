package im.parley.social;

class InMemorySocialGraphTest extends SocialGraphContract {

    final InMemorySocialGraph graph = new InMemorySocialGraph();

    @Override
    protected SocialGraph graph() {
        return graph;
    }

    @Override
    protected void befriend(String a, String b) {
        graph.befriend(a, b);
    }

    @Override
    protected void block(String blocker, String blocked) {
        graph.block(blocker, blocked);
    }

    @Override
    protected void request(String from, String to, String message) {
        graph.request(from, to, message);
    }
}
