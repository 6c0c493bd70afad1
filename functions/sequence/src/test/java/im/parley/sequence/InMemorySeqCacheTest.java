package im.parley.sequence;

class InMemorySeqCacheTest extends SeqCacheContract {

    final InMemorySeqCache cache = new InMemorySeqCache(600, LEASE_SECONDS);

    @Override
    SeqCache cache() {
        return cache;
    }

    @Override
    void flush() {
        cache.flush();
    }

    @Override
    void forgetRights(String conversationId) {
        cache.forgetRights(conversationId);
    }

    @Override
    void restart() {
        cache.restart();
    }

    @Override
    void pause(long millis) {
        cache.nowSeconds += (millis + 999) / 1000;
    }
}
