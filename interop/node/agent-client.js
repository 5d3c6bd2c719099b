#!/usr/bin/env node
// Interoperability check: drives the mschedule master with the third-party
// zerorpc-node client (npm "zerorpc" 0.9.8), acting as a minimal agent.
//
// usage: node agent-client.js <endpoint> <agent-id> [--expect-task[=N]]
//
// Prints one JSON line per step on stdout:
//   register, heartbeat, subscribe, [tasks], unknown_method, close
// Exit status: 0 when register, heartbeat and subscribe (and, with
// --expect-task, the task items) succeeded; 1 otherwise; 2 on bad usage.
// The whole run is bounded by a hard timeout (30 s by default).
'use strict';

const zerorpc = require('zerorpc');

const USAGE = 'usage: node agent-client.js <endpoint e.g. tcp://127.0.0.1:5555> <agent-id> [--expect-task[=N]]';

const CALL_TIMEOUT_S = 10;
const HARD_TIMEOUT_MS = envInt('MSCHEDULE_INTEROP_HARD_TIMEOUT_MS', 30000);
const TASK_WAIT_MS = envInt('MSCHEDULE_INTEROP_TASK_WAIT_MS', 15000);
const HOSTNAME = 'node-interop';
const IPS = ['10.9.8.7'];

// Errors that mean the master is unreachable or gone: later steps are skipped.
const TRANSPORT_ERRORS = new Set(['TimeoutExpired', 'HeartbeatError']);

function envInt(name, fallback) {
    const value = parseInt(process.env[name], 10);
    return Number.isFinite(value) && value > 0 ? value : fallback;
}

function parseArgs(argv) {
    if (argv.length < 2 || argv.length > 3) return null;
    const [endpoint, agentId, flag] = argv;
    if (!/^[a-z]+:\/\//.test(endpoint) || agentId === '') return null;
    let expectTasks = 0;
    if (flag !== undefined) {
        const m = /^--expect-task(?:=(\d+))?$/.exec(flag);
        if (!m) return null;
        expectTasks = m[1] === undefined ? 1 : parseInt(m[1], 10);
        if (expectTasks < 1) return null;
    }
    return { endpoint, agentId, expectTasks };
}

function errorJson(err) {
    if (err instanceof Error) return { name: err.name, message: err.message };
    return { name: 'Error', message: String(err) };
}

function isMap(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value);
}

const args = parseArgs(process.argv.slice(2));
if (args === null) {
    process.stderr.write(USAGE + '\n');
    process.exit(2);
}

const started = Date.now();
const plannedSteps = ['register', 'heartbeat', 'subscribe']
    .concat(args.expectTasks > 0 ? ['tasks'] : [])
    .concat(['unknown_method', 'close']);
const requiredSteps = new Set(plannedSteps.filter((s) => s !== 'unknown_method' && s !== 'close'));
const printed = new Map(); // step -> ok
const socketErrors = [];
const lateStreamEvents = [];
let streamOpen = false;
let finished = false;

function emit(line) {
    if (finished || printed.has(line.step)) return;
    printed.set(line.step, line.ok === true);
    line.elapsed_ms = Date.now() - started;
    process.stdout.write(JSON.stringify(line) + '\n');
}

const client = new zerorpc.Client({ timeout: CALL_TIMEOUT_S });
client.on('error', (err) => socketErrors.push(errorJson(err)));

function finish(reason) {
    if (finished) return;
    for (const step of plannedSteps) {
        if (printed.has(step)) continue;
        if (step === 'close') {
            emit({
                step: 'close', ok: reason === null, stream_open: streamOpen,
                stream_events_after_read: lateStreamEvents, socket_errors: socketErrors,
            });
        } else {
            emit({ step, ok: false, error: reason || { name: 'Skipped', message: 'not run' } });
        }
    }
    finished = true;
    let code = 0;
    for (const step of requiredSteps) if (printed.get(step) !== true) code = 1;
    try {
        client.close(0);
    } catch (e) {
        // already closed
    }
    process.exit(code);
}

const hardTimer = setTimeout(() => finish({
    name: 'HardTimeout', message: 'overall timeout of ' + HARD_TIMEOUT_MS + ' ms reached',
}), HARD_TIMEOUT_MS);

process.on('uncaughtException', (err) => {
    socketErrors.push(errorJson(err));
    finish({ name: 'Fatal', message: String(err && err.message || err) });
});

// One request/reply call; resolves with {error} or {reply}.
function call(method, message) {
    return new Promise((resolve) => {
        let settled = false;
        client.invoke(method, message, (err, reply, more) => {
            if (settled) return;
            settled = true;
            if (err) resolve({ error: err });
            else if (more) resolve({ error: new Error('expected a single reply, got a stream item'), reply });
            else resolve({ reply });
        });
    });
}

// sendmsg step: the call must succeed and the acknowledgement must name the
// message type and the agent id (docs/protocol.md, "Methods the master serves").
async function sendmsgStep(step, message) {
    const { error, reply } = await call('sendmsg', message);
    if (error) {
        emit({ step, ok: false, error: errorJson(error), reply });
        return error;
    }
    const good = isMap(reply) && reply.status === 'ok' && reply.type === message.type
        && reply.id === args.agentId;
    emit(good ? { step, ok: true, reply }
        : { step, ok: false, reply, error: { name: 'UnexpectedReply', message: 'expected {status:"ok", type:"' + message.type + '", id:"' + args.agentId + '"}' } });
    return null;
}

// subscribe step: reads the first streamed item, then (with --expect-task)
// up to N task items. zerorpc-node cannot cancel one streaming call, so the
// stream stays open until the client is closed at the end of the run.
function subscribeStep() {
    return new Promise((resolve) => {
        const items = [];
        let phase = 'first'; // first -> tasks -> after
        let taskTimer = null;
        const tasks = [];

        const endTasks = (ok, error) => {
            clearTimeout(taskTimer);
            phase = 'after';
            const line = { step: 'tasks', ok, expected: args.expectTasks, received: tasks.length, items: items.slice(1) };
            if (error) line.error = error;
            emit(line);
            resolve(null);
        };

        client.invoke('subscribe', { type: 'subscribe', payload: { id: args.agentId } }, (err, item, more) => {
            streamOpen = !err && more === true;
            if (phase === 'after') {
                lateStreamEvents.push(err ? { error: errorJson(err) } : more ? { item } : { stream_done: true });
                return;
            }
            if (phase === 'first') {
                if (err) {
                    phase = 'after';
                    emit({ step: 'subscribe', ok: false, error: errorJson(err) });
                    resolve(err);
                    return;
                }
                if (!more) {
                    phase = 'after';
                    emit({
                        step: 'subscribe', ok: false, reply: item,
                        error: { name: 'NotAStream', message: item === undefined ? 'stream ended before its first item' : 'expected a stream, got a single OK reply' },
                    });
                    resolve(null);
                    return;
                }
                items.push(item);
                const good = isMap(item) && item.type === 'subscribed' && isMap(item.payload)
                    && item.payload.id === args.agentId;
                emit(good ? { step: 'subscribe', ok: true, first_item: item }
                    : { step: 'subscribe', ok: false, first_item: item, error: { name: 'UnexpectedItem', message: 'expected {type:"subscribed", payload:{id:"' + args.agentId + '"}}' } });
                if (args.expectTasks === 0 || !good) {
                    phase = 'after';
                    resolve(null);
                    return;
                }
                phase = 'tasks';
                taskTimer = setTimeout(() => endTasks(false, {
                    name: 'TaskWaitExpired', message: 'received ' + tasks.length + ' of ' + args.expectTasks + ' task items in ' + TASK_WAIT_MS + ' ms',
                }), TASK_WAIT_MS);
                return;
            }
            // phase === 'tasks'
            if (err) return endTasks(false, errorJson(err));
            if (!more) return endTasks(false, { name: 'StreamDone', message: 'stream ended after ' + tasks.length + ' task items' });
            items.push(item);
            if (isMap(item) && item.type === 'task') tasks.push(item);
            if (tasks.length >= args.expectTasks) endTasks(true, null);
        });
    });
}

async function unknownMethodStep() {
    const { error, reply } = await call('no_such_method', { type: 'noop', payload: { id: args.agentId } });
    if (error) emit({ step: 'unknown_method', ok: false, error: errorJson(error) });
    else emit({ step: 'unknown_method', ok: true, reply });
}

async function main() {
    client.connect(args.endpoint);
    const transportDead = (err) => err && TRANSPORT_ERRORS.has(err.name);

    let err = await sendmsgStep('register', {
        type: 'register',
        payload: Object.assign(
            { id: args.agentId, hostname: HOSTNAME, ip: IPS, labels: { client: 'zerorpc-node' } },
            // join token for the master's plain (unencrypted) listener
            process.env.MSCHEDULE_JOIN_TOKEN ? { token: process.env.MSCHEDULE_JOIN_TOKEN } : {}),
    });
    if (transportDead(err)) return finish({ name: 'Skipped', message: 'register failed with ' + err.name });

    err = await sendmsgStep('heartbeat', {
        type: 'heartbeat',
        payload: { id: args.agentId, hostname: HOSTNAME, ip: IPS },
    });
    if (transportDead(err)) return finish({ name: 'Skipped', message: 'heartbeat failed with ' + err.name });

    err = await subscribeStep();
    if (transportDead(err)) return finish({ name: 'Skipped', message: 'subscribe failed with ' + err.name });

    await unknownMethodStep();
    clearTimeout(hardTimer);
    finish(null);
}

main().catch((e) => finish({ name: 'Fatal', message: String(e && e.message || e) }));
