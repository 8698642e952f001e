/*
 * Live progress for the Translive page.
 *
 * window.progressClient = createProgressClient(window.transliveClientOptions)
 *   subscribeToProgress(cb)   every progress_update, task_started, task_completed, task_paused and task_resumed
 *   subscribeToQueue(cb)      every queue_update
 *   subscribeToConnection(cb) {connected, state}; state: connected | reconnecting | polling | offline
 *   subscribeToSnapshot(cb)   every full snapshot (bridge reply or poll), before its messages are delivered
 * Each returns its unsubscribe function. The first subscription starts the connection.
 *
 * Transport: the Vert.x event-bus bridge client (vendor/vertx-eventbus.js) over SockJS at /eventbus.
 * - Addresses: the bridge path and its addresses come from the server (GET /api/bridge), so they
 *   are defined once, on the server; options may still name them (then nothing is fetched).
 * - Reconnect: our own loop around `new EventBus()` (its built-in one has no full jitter), with
 *   exponential backoff and full jitter so a restarted server is not hit by every page at once.
 *   While the server itself is unreachable (the polling fallback fails too) the attempts stay
 *   within maxUnreachableInterval, so a page is back within about a second of the server; while the
 *   server answers but the bridge does not, they back off up to maxReconnectInterval.
 * - Fallback: while the bridge cannot be opened, GET /api/queue is polled (never two requests at a
 *   time), and the bridge keeps being retried in the background; the first success stops polling.
 * - Resync: every (re)connect asks translive.snapshot for the current state, and so does a page
 *   coming back from the back/forward cache or becoming visible. Messages whose seq is not newer
 *   than the last one seen for the same task (progress address) or for the queue are dropped, so a
 *   snapshot never rolls back newer live state and duplicates are harmless.
 */
(function (global) {
  'use strict';

  const TASK_MESSAGE_TYPES = new Set(['progress_update', 'task_started', 'task_completed', 'task_paused', 'task_resumed']);

  const DEFAULTS = {
    baseUrl: '',
    /** Where the server names its bridge path and addresses, and where the polling snapshot is. */
    configPath: '/api/bridge',
    pollPath: '/api/queue',
    /** Set all four to skip asking the server (another app embedding the progress layer). */
    bridgePath: null,
    progressAddress: null,
    queueAddress: null,
    snapshotAddress: null,
    reconnectInterval: 1000,
    maxReconnectInterval: 30000,
    maxUnreachableInterval: 1000,
    /** A snapshot request unanswered this long means the socket only looks open: reopen it. */
    snapshotTimeout: 5000,
    /** The bridge client's keep-alive ping. */
    pingInterval: 5000,
    pollRunningInterval: 1000,
    pollQueuedInterval: 2000,
    pollIdleInterval: 5000,
    pollMaxInterval: 30000,
    pollRequestTimeout: 10000,
    /** Polling slows down this much while the tab is hidden. */
    hiddenPollFactor: 4,
    /** Bounds the per-task seq memory of a long-lived page. */
    maxTrackedTasks: 500,
    /** Extra SockJS options, e.g. {transports: ['xhr-streaming']}. */
    sockjsOptions: {},
    random: Math.random,
    createEventBus: (url, options) => new global.EventBus(url, options),
    fetch: (url, init) => global.fetch(url, init),
  };

  /** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^attempt)). */
  function backoffDelay(attempt, base, cap, random = Math.random) {
    const ceiling = Math.min(cap, base * 2 ** Math.min(Math.max(attempt, 0), 30));
    return Math.floor(random() * ceiling);
  }

  /**
   * Remembers the newest seq per task (translive.progress) and for the queue (translive.queue).
   * Per task rather than per address: the server conflates progress per task under its rate cap,
   * so messages of different tasks may arrive out of order while each task's stay ordered.
   */
  function createSeqFilter(maxTrackedTasks) {
    let queueSeq = -Infinity;
    const taskSeq = new Map();
    return {
      acceptQueue(message) {
        if (typeof message.seq !== 'number') return true;
        if (message.seq <= queueSeq) return false;
        queueSeq = message.seq;
        return true;
      },
      acceptTask(message) {
        if (typeof message.seq !== 'number') return true;
        const last = taskSeq.get(message.task_id);
        if (last !== undefined && message.seq <= last) return false;
        taskSeq.delete(message.task_id); // re-insert so Map order is least recently updated first
        taskSeq.set(message.task_id, message.seq);
        if (taskSeq.size > maxTrackedTasks) taskSeq.delete(taskSeq.keys().next().value);
        return true;
      },
    };
  }

  function createProgressClient(userOptions) {
    const opt = Object.assign({}, DEFAULTS, userOptions || {});
    const listeners = { progress: new Set(), queue: new Set(), connection: new Set(), snapshot: new Set() };
    const seqFilter = createSeqFilter(opt.maxTrackedTasks);

    let started = false;
    let suspended = false;
    let connectionState = 'reconnecting';
    let lastQueue = null;

    let bus = null; // the current EventBus, opening or open; null between attempts
    let busOpen = false;
    let busVerified = false; // it has answered a snapshot request
    let everVerified = false; // some earlier socket worked: a new one is a reconnect (the server counts them)
    let failedAttempts = 0; // consecutive attempts that never opened
    let reconnectTimer = null;

    let serverAnswered = true; // the last poll (if any) got an answer: a failing bridge is the bridge's fault
    let addressesRequest = null; // the one GET of the bridge addresses in flight

    let polling = false;
    let pollTimer = null;
    let pollInFlight = null; // AbortController of the one request allowed at a time
    let pollFailures = 0;

    // ---- delivery -------------------------------------------------------------------------

    function emit(set, value) {
      for (const cb of Array.from(set)) {
        try {
          cb(value);
        } catch (err) {
          // One broken subscriber must not starve the others.
          setTimeout(() => { throw err; });
        }
      }
    }

    function deliverTaskMessage(message) {
      if (!message || !TASK_MESSAGE_TYPES.has(message.type) || !seqFilter.acceptTask(message)) return;
      emit(listeners.progress, message);
    }

    function deliverQueue(message) {
      if (!message || message.type !== 'queue_update' || !seqFilter.acceptQueue(message)) return;
      lastQueue = message;
      emit(listeners.queue, message);
    }

    /** The body of GET /api/queue and of the translive.snapshot reply. */
    function applySnapshot(snapshot) {
      if (!snapshot) return;
      emit(listeners.snapshot, snapshot);
      (snapshot.progress || []).forEach(deliverTaskMessage);
      deliverQueue(snapshot.queue);
    }

    function setState(state) {
      if (state === connectionState) return;
      connectionState = state;
      emit(listeners.connection, connectionSnapshot());
    }

    function connectionSnapshot() {
      return { connected: connectionState === 'connected', state: connectionState };
    }

    // ---- the bridge -----------------------------------------------------------------------

    /**
     * A bridge counts as working only once it has answered a snapshot request: a socket that opens
     * but cannot carry frames (e.g. a proxy or server refusing the XHR send path) is a failed
     * attempt, so it backs off and polls instead of flapping between open and closed.
     */
    function connectBridge() {
      clearTimeout(reconnectTimer);
      reconnectTimer = null;
      if (bus || suspended || addressesRequest) return;
      if (!haveAddresses()) {
        addressesRequest = fetchAddresses()
          .then(() => { addressesRequest = null; connectBridge(); },
            () => { addressesRequest = null; serverAnswered = false; attemptFailed(); });
        return;
      }
      let eb;
      try {
        eb = opt.createEventBus(opt.baseUrl + opt.bridgePath,
          Object.assign({ vertxbus_ping_interval: opt.pingInterval }, opt.sockjsOptions));
      } catch (err) {
        attemptFailed();
        return;
      }
      bus = eb;
      busOpen = false;
      busVerified = false;
      eb.onerror = () => {}; // 'err' frames (refused, over a cap) end in a close, handled below
      eb.onopen = () => {
        if (bus !== eb) return;
        busOpen = true;
        eb.registerHandler(opt.progressAddress, (err, msg) => { if (!err && bus === eb) deliverTaskMessage(msg.body); });
        eb.registerHandler(opt.queueAddress, (err, msg) => { if (!err && bus === eb) deliverQueue(msg.body); });
        requestSnapshot();
      };
      eb.onclose = () => {
        if (bus !== eb) return; // a socket we dropped on purpose
        const wasWorking = busVerified;
        bus = null;
        busOpen = false;
        busVerified = false;
        if (wasWorking) {
          // Lost a working bridge: try again soon, jittered, before falling back.
          failedAttempts = 0;
          serverAnswered = false;
          setState(navigator.onLine === false ? 'offline' : 'reconnecting');
          scheduleReconnect();
        } else {
          attemptFailed();
        }
      };
    }

    function haveAddresses() {
      return opt.bridgePath && opt.progressAddress && opt.queueAddress && opt.snapshotAddress;
    }

    async function fetchAddresses() {
      const controller = new AbortController();
      const timeout = setTimeout(() => controller.abort(), opt.pollRequestTimeout);
      try {
        const response = await opt.fetch(opt.baseUrl + opt.configPath,
          { signal: controller.signal, cache: 'no-store', headers: { Accept: 'application/json' } });
        if (!response.ok) throw new Error('HTTP ' + response.status);
        const body = await response.json();
        const addresses = body.addresses || {};
        if (!body.path || !addresses.progress || !addresses.queue || !addresses.snapshot) throw new Error('incomplete bridge description');
        opt.bridgePath = body.path;
        opt.progressAddress = addresses.progress;
        opt.queueAddress = addresses.queue;
        opt.snapshotAddress = addresses.snapshot;
      } finally {
        clearTimeout(timeout);
      }
    }

    function attemptFailed() {
      failedAttempts++;
      startPolling();
      scheduleReconnect();
    }

    function scheduleReconnect() {
      clearTimeout(reconnectTimer);
      if (suspended) return;
      // The server gone: retry within about a second, so the page is back soon after it is.
      const cap = serverAnswered ? opt.maxReconnectInterval : Math.min(opt.maxUnreachableInterval, opt.maxReconnectInterval);
      const delay = backoffDelay(failedAttempts, opt.reconnectInterval, cap, opt.random);
      reconnectTimer = setTimeout(connectBridge, delay);
    }

    /** Closes the current socket without its close event counting; the caller decides what next. */
    function dropBridge() {
      const old = bus;
      bus = null;
      busOpen = false;
      busVerified = false;
      if (old) {
        try { old.close(); } catch (err) { /* already closed */ }
      }
    }

    /** Asks for the current state; an answer (even a refusal) proves the bridge carries frames both ways. */
    function requestSnapshot() {
      const eb = bus;
      if (!eb || !busOpen) return;
      const watchdog = setTimeout(() => {
        if (bus !== eb) return;
        // No answer: the socket only looks open.
        const wasWorking = busVerified;
        dropBridge();
        if (wasWorking) {
          setState('reconnecting');
          connectBridge();
        } else {
          attemptFailed();
        }
      }, opt.snapshotTimeout);
      try {
        eb.send(opt.snapshotAddress, { reconnect: everVerified && !busVerified }, (err, reply) => {
          clearTimeout(watchdog);
          if (bus !== eb) return;
          if (!busVerified) {
            serverAnswered = true;
            busVerified = true;
            everVerified = true;
            failedAttempts = 0;
            stopPolling();
          }
          if (!err) applySnapshot(reply.body);
          setState('connected');
        });
      } catch (err) {
        clearTimeout(watchdog);
        dropBridge();
        attemptFailed();
      }
    }

    // ---- polling fallback -----------------------------------------------------------------

    function startPolling() {
      if (polling || suspended) return;
      polling = true;
      pollFailures = 0;
      pollNow();
    }

    function stopPolling() {
      polling = false;
      clearTimeout(pollTimer);
      pollTimer = null;
      if (pollInFlight) pollInFlight.abort();
      pollInFlight = null;
    }

    function pollNow() {
      if (!polling || pollInFlight) return; // one request at a time
      clearTimeout(pollTimer);
      pollTimer = null;
      poll();
    }

    async function poll() {
      const controller = new AbortController();
      pollInFlight = controller;
      const timeout = setTimeout(() => controller.abort(), opt.pollRequestTimeout);
      let snapshot = null;
      let retryAfterMs = 0;
      let answered = false;
      try {
        const response = await opt.fetch(opt.baseUrl + opt.pollPath,
          { signal: controller.signal, cache: 'no-store', headers: { Accept: 'application/json' } });
        answered = true;
        if (response.ok) {
          snapshot = await response.json();
        } else {
          retryAfterMs = 1000 * (Number(response.headers.get('Retry-After')) || 0);
        }
      } catch (err) {
        // network error, timeout, or aborted because the bridge came back
      } finally {
        clearTimeout(timeout);
      }
      if (pollInFlight !== controller) return; // stopped meanwhile
      pollInFlight = null;
      if (!polling) return;
      serverAnswered = answered;
      if (snapshot) {
        pollFailures = 0;
        applySnapshot(snapshot);
        if (!busVerified) setState('polling');
      } else {
        pollFailures++;
        if (!busVerified) setState('offline');
      }
      pollTimer = setTimeout(poll, Math.max(retryAfterMs, nextPollDelay()));
    }

    /** Fast while something runs, slower when idle, backing off (jittered) while requests fail. */
    function nextPollDelay() {
      let delay;
      if (pollFailures > 0) {
        const ceiling = Math.min(opt.pollMaxInterval, opt.pollIdleInterval * 2 ** Math.min(pollFailures - 1, 10));
        delay = ceiling / 2 + opt.random() * ceiling / 2;
      } else {
        const data = lastQueue && lastQueue.data;
        if (data && data.running && data.running.length > 0) delay = opt.pollRunningInterval;
        else if (data && data.queue_length > 0) delay = opt.pollQueuedInterval;
        else delay = opt.pollIdleInterval;
      }
      if (global.document && document.hidden) delay *= opt.hiddenPollFactor;
      return Math.min(delay, opt.pollMaxInterval);
    }

    // ---- page lifecycle -------------------------------------------------------------------

    /** Brings the page up to date now: a snapshot on an open bridge, otherwise an immediate attempt. */
    function resync() {
      if (!started || suspended) return;
      if (busVerified) {
        requestSnapshot();
      } else if (!bus) {
        connectBridge();
      }
      if (polling) pollNow();
    }

    function suspend() {
      suspended = true;
      clearTimeout(reconnectTimer);
      reconnectTimer = null;
      stopPolling();
      dropBridge();
    }

    function resume() {
      suspended = false;
      setState('reconnecting');
      resync();
    }

    function start() {
      if (started) return;
      started = true;
      if (global.addEventListener) {
        // A page kept in the back/forward cache must not look live with a dead socket: close the
        // socket on the way in (which also keeps the page cacheable) and reconnect on the way out.
        global.addEventListener('pagehide', (e) => { if (e.persisted) suspend(); });
        global.addEventListener('pageshow', (e) => { if (e.persisted) resume(); });
        global.addEventListener('online', resync);
        global.addEventListener('offline', () => { if (!busVerified) setState('offline'); });
      }
      if (global.document) {
        document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') resync(); });
      }
      connectBridge();
    }

    function subscribe(set, cb) {
      if (typeof cb !== 'function') throw new TypeError('callback must be a function');
      set.add(cb);
      start();
      return () => set.delete(cb);
    }

    return {
      subscribeToProgress: (cb) => subscribe(listeners.progress, cb),
      subscribeToQueue: (cb) => subscribe(listeners.queue, cb),
      subscribeToSnapshot: (cb) => subscribe(listeners.snapshot, cb),
      subscribeToConnection(cb) {
        const unsubscribe = subscribe(listeners.connection, cb);
        cb(connectionSnapshot());
        return unsubscribe;
      },
      /** Fetches the current state now (also done by the client itself on every reconnect). */
      resync,
      get connection() { return connectionSnapshot(); },
      /** The SockJS transport in use ('websocket', 'xhr-streaming', ...), or null; for diagnostics. */
      get transport() { return (busVerified && bus.sockJSConn && bus.sockJSConn.transport) || null; },
    };
  }

  createProgressClient.backoffDelay = backoffDelay;
  createProgressClient.createSeqFilter = createSeqFilter;
  global.createProgressClient = createProgressClient;
  global.progressClient = createProgressClient(global.transliveClientOptions);
})(window);
