package im.parley.group;

class InMemoryGroupStoreTest extends GroupStoreContract {

    final InMemoryGroupStore store = new InMemoryGroupStore();

    @Override
    GroupStore store() {
        return store;
    }
}
