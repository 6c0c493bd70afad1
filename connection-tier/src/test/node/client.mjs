// Usage: node client.mjs <ws-url>
// Sends one message and one ping; prints every frame received as a JSON line, then the close code.
import WebSocket from 'ws';

const ws = new WebSocket(process.argv[2]);
const timer = setTimeout(() => { console.log(JSON.stringify({ t: 'timeout' })); process.exit(2); }, 15000);

ws.on('message', (data) => {
  const frame = JSON.parse(data.toString());
  console.log(JSON.stringify(frame));
  if (frame.t === 'welcome') {
    ws.send(JSON.stringify({ v: 1, t: 'send', id: 'node-1', d: {
      conversationId: 'd:nina:omar', clientMsgId: 'from-node', contentType: 'text', content: 'hello from ws' } }));
    ws.send(JSON.stringify({ v: 1, t: 'ping', id: 'node-ping' }));
  }
  if (frame.t === 'pong') {
    ws.close(1000, 'done');
  }
});
ws.on('close', (code, reason) => {
  console.log(JSON.stringify({ t: 'closed', code, reason: reason.toString() }));
  clearTimeout(timer);
  process.exit(0);
});
ws.on('error', (e) => { console.log(JSON.stringify({ t: 'error', message: String(e) })); process.exit(1); });
