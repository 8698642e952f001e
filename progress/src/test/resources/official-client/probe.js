// The official browser client (@vertx/eventbus-bridge-client.js over sockjs-client) in Node, driven
// by a test: commands arrive as JSON lines on stdin, everything the client sees leaves as JSON lines.
//   node probe.js <url> <transport> [origin]
//   {"op":"register","address":"..."}  {"op":"send","address":"...","body":{...}}  {"op":"flood","n":100}
//   {"op":"close"}
// Events: open, message {address, body}, reply {body} | {error}, err {body}, close {code, reason}.
// Node 20's default agent keeps connections alive and may reuse one the server has just closed
// after a poll ("socket hang up"); a browser's XHR does not fail that way. Fresh connections.
require('http').globalAgent = new (require('http').Agent)({ keepAlive: false });
const EventBus = require('@vertx/eventbus-bridge-client.js');
const readline = require('readline');
const [url, transport, origin] = process.argv.slice(2);
const out = (event) => process.stdout.write(JSON.stringify(event) + '\n');
const options = { transports: [transport], vertxbus_ping_interval: 1000 };
if (origin) {
  // sockjs-client's Node drivers pass these headers on every request of the session.
  options.transportOptions = { [transport]: { headers: { Origin: origin } } };
}
const eb = new EventBus(url, options);
eb.onerror = (err) => out({ event: 'err', body: err && (err.body || err.message || String(err)) });
eb.onunhandled = (json) => out({ event: json.type === 'err' ? 'err' : 'unhandled', body: json.body, json });
eb.onopen = () => out({ event: 'open', transport: eb.sockJSConn.transport });
eb.onclose = (e) => {
  out({ event: 'close', code: e && e.code, reason: e && e.reason });
  setTimeout(() => process.exit(0), 50);
};
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line);
  try {
    if (cmd.op === 'register') {
      eb.registerHandler(cmd.address, (err, msg) => out(err ? { event: 'err', body: err.message || err.body, address: cmd.address }
        : { event: 'message', address: msg.address, body: msg.body }));
    } else if (cmd.op === 'send') {
      eb.send(cmd.address, cmd.body || {}, (err, reply) => out(err ? { event: 'reply', error: err } : { event: 'reply', body: reply.body }));
    } else if (cmd.op === 'flood') {
      for (let i = 0; i < cmd.n; i++) eb.send(cmd.address, {}, () => {});
    } else if (cmd.op === 'close') {
      eb.close();
    }
  } catch (e) {
    out({ event: 'failed', message: String(e) });
  }
}).on('close', () => process.exit(0));
