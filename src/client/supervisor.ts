/**
 * Keeps the engine worker answering. A worker can die without a word (terminate(), an
 * out-of-memory kill, `self.close()`), fail to load (404, CSP) or throw while starting; comlink
 * alone would then leave every promise pending for ever. The supervisor turns each of these into
 * a `worker_failed` rejection, or, for a worker that had started fine, into a restart that
 * re-sends the calls that are safe to repeat.
 */
import { wrap, releaseProxy, type Remote } from 'comlink';
import { LocalrecError } from '../core/errors';
import type { EngineApi, ReadyInfo, TrackCall, TrackOutcome, TrackResult } from '../protocol';

/** The heartbeat's period. Ticks are counted rather than clock time, so a frozen tab is not taken for a dead worker. */
export const TICK_MS = 2000;
/** Ticks a ping may go unanswered: at most (MISSED_TICKS + 2) × TICK_MS from a silent death to its detection (8 s). */
export const MISSED_TICKS = 2;
/**
 * A new worker first downloads and compiles its script: 1.3 MB took longer than 8 s on a
 * simulated Fast 3G link, so it gets 30 s for its first answer. A script that fails to load
 * (404, CSP, an error at start) fires the Worker's error event and fails at once, not after this.
 */
const FIRST_ANSWER_TICKS = 15;
/** While nothing is pending the worker is pinged every this many ticks, so a death is found before the next call. */
const IDLE_TICKS = 8;
/** Restarts allowed within RESTART_WINDOW_MS; a worker that keeps dying is given up on rather than restarted for ever. */
export const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

interface Call {
  send(engine: Remote<EngineApi>): Promise<unknown>;
  /**
   * Set on tracks. A track carries its event id, so sending it twice is harmless: it is re-sent
   * after a restart instead of failing, and the tracks of one task travel in one message.
   */
  track?: TrackCall;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

export interface Supervisor {
  /** Resolves with the first successful start of the engine. */
  readonly ready: Promise<ReadyInfo>;
  /** Sends a call to the live engine; it fails with `worker_failed` if the worker dies first. */
  call<T>(send: (engine: Remote<EngineApi>) => Promise<T>): Promise<T>;
  /** Sends a track; it survives a restart by being sent again with its id. */
  track(call: TrackCall): Promise<TrackResult>;
  /** Asks the engine to write what it holds, without waiting (the page is going away). */
  flush(): void;
  /** Closes the engine (waiting for its queued writes, or for its death to be noticed) and stops the worker. */
  close(): Promise<void>;
}

const failed = (message: string) => new LocalrecError('worker_failed', message);
const cannotStart = (what: string) =>
  failed(`The localrec worker could not start (${what}): serve localrec-worker.js from this page's origin (CSP worker-src), or from a CDN with Access-Control-Allow-Origin and CSP worker-src blob: plus the CDN.`);

/**
 * Starts a worker with `startWorker` and `init` (called again, with the same options, after each
 * restart) and supervises it: see the module comment.
 */
export function supervise(startWorker: () => Worker, init: (engine: Remote<EngineApi>) => Promise<ReadyInfo>): Supervisor {
  const pending = new Set<Call>();
  const restarts: number[] = [];
  let worker: Worker | undefined;
  let engine: Remote<EngineApi>;
  let timer: ReturnType<typeof setInterval> | undefined;
  let failure: LocalrecError | undefined;
  let closing = false;
  let everAnswered = false;
  let answered = false;
  let starting = false;
  // Ticks since the outstanding ping was sent; -1 when none is outstanding.
  let missed = -1;
  let idle = 0;
  let settleReady!: [(info: ReadyInfo) => void, (reason: unknown) => void];
  const ready = new Promise<ReadyInfo>((resolve, reject) => (settleReady = [resolve, reject]));
  // Nobody may call ready(): keep an early failure from surfacing as an unhandled rejection.
  ready.catch(() => undefined);

  const heard = (from: Worker | undefined) => {
    if (from !== worker) return;
    answered = everAnswered = true;
    missed = -1;
  };

  const resolveCall = (c: Call, value: unknown) => {
    pending.delete(c);
    c.resolve(value);
  };
  const rejectCall = (c: Call, reason: unknown) => {
    pending.delete(c);
    c.reject(reason);
  };
  const settle = (c: Call, outcome: TrackOutcome) =>
    'ok' in outcome ? resolveCall(c, outcome.ok) : rejectCall(c, new LocalrecError(outcome.error.code, outcome.error.message, outcome.error.field));

  const send = (c: Call) => {
    // The executor runs now, so the message is posted in call order; a synchronous throw becomes a rejection.
    new Promise((resolve) => resolve(c.send(engine))).then((value) => resolveCall(c, value), (reason) => rejectCall(c, reason));
  };

  // Tracks made in one task, waiting to leave as one message at the end of it.
  let outbox: Call[] = [];
  const post = () => {
    const batch = outbox;
    outbox = [];
    if (!batch.length) return;
    engine.trackMany(batch.map((c) => c.track!)).then(
      (outcomes) => batch.forEach((c, i) => settle(c, outcomes[i]!)),
      // One event that cannot be cloned must not take the others down with it: send them one by one.
      () => batch.forEach(send),
    );
  };

  const dispatch = (c: Call) => {
    if (!c.track) {
      // Earlier tracks go first: a read must see every track called before it.
      post();
      return send(c);
    }
    if (outbox.push(c) === 1) queueMicrotask(post);
  };

  const stop = () => {
    outbox = [];
    clearInterval(timer);
    worker?.terminate();
    worker = undefined;
  };

  const fail = (error: LocalrecError) => {
    stop();
    failure = error;
    settleReady[1](error);
    for (const c of pending) c.reject(error);
    pending.clear();
  };

  const die = (what: string) => {
    if (failure || !worker) return;
    stop();
    const now = Date.now();
    while (restarts.length && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
    if (!everAnswered) return fail(cannotStart(what));
    if (closing || restarts.length >= MAX_RESTARTS) return fail(failed(`The localrec worker stopped (${what}), not restarted: reload the page.`));
    restarts.push(now);
    for (const c of pending) {
      if (!c.track) c.reject(failed(`The localrec worker stopped (${what}) during this call, restarted: call again.`));
    }
    start();
    // Unanswered tracks go to the new worker in their original order, after its init.
    for (const c of pending) if (c.track) dispatch(c); else pending.delete(c);
  };

  const ping = () => {
    const from = worker;
    missed = idle = 0;
    // Any answer, even a rejection, shows the worker is alive.
    engine.ping().then(() => heard(from), () => heard(from));
  };

  const tick = () => {
    if (missed >= 0) {
      if (++missed > (answered ? MISSED_TICKS : FIRST_ANSWER_TICKS)) die(`no answer for ${(missed * TICK_MS) / 1000} s`);
    } else if (pending.size || starting || ++idle >= IDLE_TICKS) {
      ping();
    }
  };

  function start() {
    answered = false;
    try {
      worker = startWorker();
    } catch (e) {
      // A cross-origin script URL makes `new Worker()` throw a SecurityError at once.
      return fail(cannotStart(String(e)));
    }
    const from = worker;
    // Checked against the live worker: an event a replaced worker had queued must not kill its successor.
    from.addEventListener('error', (e) => {
      // A script that fails to load gets a plain Event; an uncaught error an ErrorEvent with its message.
      if (from === worker) die((e as Partial<ErrorEvent>).message || 'its script did not load');
    });
    from.addEventListener('messageerror', () => from === worker && die('a message could not be read'));
    engine = wrap<EngineApi>(from);
    starting = true;
    init(engine).then(settleReady[0], settleReady[1]).finally(() => {
      if (from === worker) starting = false;
      heard(from);
    });
    timer = setInterval(tick, TICK_MS);
    ping();
  }

  const enqueue = <T>(c: Omit<Call, 'resolve' | 'reject'>) =>
    new Promise<T>((resolve, reject) => {
      if (failure) return reject(failure);
      const full: Call = { ...c, resolve: resolve as (v: unknown) => void, reject };
      pending.add(full);
      dispatch(full);
    });
  const call = <T>(send: (engine: Remote<EngineApi>) => Promise<T>) => enqueue<T>({ send });

  start();

  return {
    ready,
    call,
    track: (track) => enqueue({ track, send: (e) => e.track(track.event, track.meta) }),
    flush() {
      if (failure) return;
      post();
      engine.flush().catch(() => undefined);
    },
    async close() {
      closing = true;
      if (!failure) await call((e) => e.close()).catch(() => undefined);
      if (worker) engine[releaseProxy]();
      stop();
    },
  };
}
