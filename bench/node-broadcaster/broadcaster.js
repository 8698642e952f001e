// The fan-out benchmark's reference server: what a plain Node `ws` broadcaster costs for the same
// clients and the same messages. Speaks just enough of the bridge for the load generator: raw
// WebSocket at /eventbus/websocket (register answered with the queue state), POST /api/tasks starts a
// task that publishes progress at 10 Hz and the queue once a second, then task_completed; /health.
// Each message is serialized once and the same bytes are sent to every registered client.
//   PORT=9999 TASK_SECONDS=60 node broadcaster.js
const http = require('http');
const { WebSocketServer } = require('ws');

const port = Number(process.env.PORT || 9999);
const seconds = Number(process.env.TASK_SECONDS || 60);
const clients = new Set();
let lastSeq = 0;
const seq = () => (lastSeq = Math.max(lastSeq + 1, Date.now() * 1000));

const queueUpdate = (running) => ({
  type: 'queue_update', seq: seq(), data: {
    running, queued: [], queue_length: 0, concurrency: 1, queue_no_ranges: [],
    queue_no_ranges_complete: true, tail_seconds_per_task: 0,
  },
});
const frame = (address, body) => Buffer.from(JSON.stringify({ type: 'rec', address, body }));
const broadcast = (bytes) => {
  for (const ws of clients) {
    if (ws.registered) ws.send(bytes, { binary: false });
  }
};

function runTask(id) {
  const total = seconds * 10;
  const started = Date.now();
  broadcast(frame('translive.progress', { type: 'task_started', task_id: id, seq: seq(),
    data: { filename: 'fanout.txt', total_segments: total, resumed: false } }));
  let done = 0;
  const timer = setInterval(() => {
    done++;
    const progress = done / total;
    broadcast(frame('translive.progress', { type: 'progress_update', task_id: id, seq: seq(), data: {
      filename: 'fanout.txt', progress: Math.round(progress * 1e4) / 1e4, stage: 'translating',
      stage_description: 'Translating', eta_seconds: Math.round((total - done) / 10 * 10) / 10,
      completed_segments: done, total_segments: total, unique_segments: total, cached_segments: 0,
      to_translate_segments: total - done } }));
    if (done % 10 === 0) {
      broadcast(frame('translive.queue', queueUpdate([{ task_id: id, filename: 'fanout.txt',
        progress: Math.round(progress * 1e4) / 1e4, eta_seconds: (total - done) / 10, stage: 'translating' }])));
    }
    if (done >= total) {
      clearInterval(timer);
      broadcast(frame('translive.progress', { type: 'task_completed', task_id: id, seq: seq(), data: {
        filename: 'fanout.txt', success: true, status: 'completed', message: 'done',
        duration_seconds: (Date.now() - started) / 1000 } }));
    }
  }, 100);
}

const server = http.createServer((req, res) => {
  if (req.url.startsWith('/health')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'UP', checks: [] }));
  } else if (req.method === 'POST' && req.url === '/api/tasks') {
    req.resume();
    req.on('end', () => {
      const id = 't-node-' + Date.now();
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ tasks: [{ task_id: id }] }));
      runTask(id);
    });
  } else {
    res.writeHead(404);
    res.end();
  }
});
const wss = new WebSocketServer({ server, path: '/eventbus/websocket', perMessageDeflate: false, maxPayload: 16384 });
wss.on('connection', (ws) => {
  clients.add(ws);
  ws.on('message', (data) => {
    let message;
    try { message = JSON.parse(data); } catch (e) { return; }
    if (message.type === 'register') {
      ws.registered = true;
      if (message.address === 'translive.queue') ws.send(frame('translive.queue', queueUpdate([])), { binary: false });
    }
  });
  ws.on('close', () => clients.delete(ws));
});
server.listen(port, '127.0.0.1', () => console.log('node ws broadcaster on ' + port));
