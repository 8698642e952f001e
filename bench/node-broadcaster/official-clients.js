// N official browser clients (@vertx/eventbus-bridge-client.js over sockjs-client) on one SockJS
// transport, for the fallback transports' cost per delivery. Each registers on progress and queue;
// prints "ready" once all have their first queue_update, then one JSON line when every client saw
// task_completed (or on SIGTERM): {clients, ready, completed, delivered}.
//   node official-clients.js <url> <transport> <clients>
// Node 20's default agent keeps connections alive and reuses one the server has just closed after a
// poll (ECONNRESET, "socket hang up"); a browser's XHR does not fail that way. Fresh connections.
require('http').globalAgent = new (require('http').Agent)({ keepAlive: false });
const EventBus = require('@vertx/eventbus-bridge-client.js');
const [url, transport, count] = [process.argv[2], process.argv[3], Number(process.argv[4] || 100)];
let ready = 0;
let completed = 0;
let delivered = 0;
let reported = false;
const report = () => {
  if (reported) return;
  reported = true;
  console.log(JSON.stringify({ clients: count, ready, completed, delivered }));
  process.exit(0);
};
for (let i = 0; i < count; i++) {
  setTimeout(() => {
    const eb = new EventBus(url, { transports: [transport] });
    let seenQueue = false;
    let done = false;
    eb.onclose = (e) => { if (!done) console.error('client closed before task_completed: ' + (e && e.code) + ' ' + (e && e.reason)); };
    eb.onopen = () => {
      eb.registerHandler('translive.queue', (err, msg) => {
        if (err) return;
        if (!seenQueue) {
          seenQueue = true;
          if (++ready === count) console.log('ready');
        } else {
          delivered++;
        }
      });
      eb.registerHandler('translive.progress', (err, msg) => {
        if (err) return;
        delivered++;
        if (!done && msg.body.type === 'task_completed') {
          done = true;
          if (++completed === count) report();
          // Clients that never registered (the transport failed them) will not complete: stop once
          // every registered one has, and nothing changed for 3 s.
          if (completed === ready) setTimeout(() => { if (completed === ready) report(); }, 3000);
        }
      });
    };
  }, i * 5);
}
process.on('SIGTERM', report);
setInterval(() => console.error(`${transport}: ${ready}/${count} registered, ${completed} completed, ${delivered} delivered`), 10000);
