package im.parley.sequence;

class InMemorySeqLedgerTest extends SeqLedgerContract {

    final InMemorySeqLedger ledger = new InMemorySeqLedger();

    @Override
    SeqLedger ledger() {
        return ledger;
    }

    @Override
    void stored(String conversationId, String clientMsgId, long seq) {
        ledger.stored(conversationId, clientMsgId, seq);
    }

    @Override
    void idOnly(String conversationId, String clientMsgId, long seq) {
        ledger.idOnly(conversationId, clientMsgId, seq);
    }

    @Override
    void recordedByAnEarlierVersion(String conversationId, long seq) {
        ledger.recordedByAnEarlierVersion(conversationId, seq);
    }
}
