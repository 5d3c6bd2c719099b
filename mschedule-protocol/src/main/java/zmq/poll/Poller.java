/*
 * This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0. If a copy
 * of the MPL was not distributed with this file, You can obtain one at
 * https://mozilla.org/MPL/2.0/.
 *
 * A modified copy of zmq/poll/Poller.java from JeroMQ 0.6.0 (https://github.com/zeromq/jeromq,
 * MPL-2.0), carried by mschedule ahead of JeroMQ's own class (the shaded jars leave JeroMQ's out).
 * The changes: when the interest of a connection changes, JeroMQ 0.6.0 re-applies the interest of
 * every registered connection on the next pass of its I/O thread; this copy re-applies only the
 * connections that changed. And events are handled as the selector finds them
 * (select(Consumer, timeout)) instead of through the selected-key set, whose hash table keeps the
 * size of the largest burst of events and costs that much to walk on every pass. Everything else
 * is JeroMQ's code as released. docs/performance.md
 * ("A. The master's ZeroMQ I/O thread") says why and what carrying it costs.
 */
package zmq.poll;

import java.io.IOException;
import java.lang.Thread.UncaughtExceptionHandler;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import zmq.Ctx;
import zmq.ZError;

public final class Poller extends PollerBase implements Runnable
{
    /** Tells a test that this copy, not JeroMQ's own class, was loaded. */
    public static final boolean APPLIES_CHANGED_HANDLES_ONLY = true;

    // opaque class to mimic libzmq behaviour.
    // extra interest is we do not need to look through the fdTable to perform common operations.
    public static final class Handle
    {
        private final SelectableChannel fd;
        private final IPollEvents       handler;

        private int     ops;
        private boolean cancelled;
        private boolean queued; // in the changed list

        public Handle(SelectableChannel fd, IPollEvents handler)
        {
            assert (fd != null);
            assert (handler != null);
            this.fd = fd;
            this.handler = handler;
        }

        @Override
        public int hashCode()
        {
            final int prime = 31;
            int result = 1;
            result = prime * result + fd.hashCode();
            result = prime * result + handler.hashCode();
            return result;
        }

        @Override
        public boolean equals(Object other)
        {
            if (this == other) {
                return true;
            }
            if (other == null) {
                return false;
            }
            if (!(other instanceof Handle)) {
                return false;
            }
            Handle that = (Handle) other;
            return this.fd.equals(that.fd) && this.handler.equals(that.handler);
        }

        @Override
        public String toString()
        {
            return "Handle-" + fd;
        }
    }

    // Reference to ZMQ context.
    private final Ctx ctx;

    //  stores data for registered descriptors.
    private final Set<Handle> fdTable;

    //  If true, there's at least one retired event source.
    private boolean retired = false;

    //  The handles whose interest changed (or that were removed) since the last pass.
    private final List<Handle> changed = new ArrayList<>();

    //  If true, every handle is applied again (a new selector).
    private boolean rebuild = false;

    //  If true, thread is in the process of shutting down.
    private final AtomicBoolean  stopping = new AtomicBoolean();
    private final CountDownLatch stopped  = new CountDownLatch(1);
    private final UncaughtExceptionHandler exnotification;

    private Selector selector;

    public Poller(Ctx ctx, String name)
    {
        super(name, ctx.getThreadFactory());
        this.ctx = ctx;
        exnotification = ctx.getNotificationExceptionHandler();
        fdTable = new HashSet<>();
        selector = ctx.createSelector();
    }

    public void destroy()
    {
        try {
            stop();
            stopped.await();
        }
        catch (InterruptedException e) {
            e.printStackTrace();
            // Re-interrupt the thread so the caller can handle it.
            Thread.currentThread().interrupt();
        }
        finally {
            ctx.closeSelector(selector);
        }
    }

    public Handle addHandle(SelectableChannel fd, IPollEvents events)
    {
        assert (Thread.currentThread() == worker || !worker.isAlive());

        Handle handle = new Handle(fd, events);
        fdTable.add(handle);

        //  Increase the load metric of the thread.
        adjustLoad(1);
        return handle;
    }

    public void removeHandle(Handle handle)
    {
        assert (Thread.currentThread() == worker || !worker.isAlive());

        //  Mark the fd as unused.
        handle.cancelled = true;
        queue(handle);

        //  Decrease the load metric of the thread.
        adjustLoad(-1);
    }

    public void setPollIn(Handle handle)
    {
        register(handle, SelectionKey.OP_READ, true);
    }

    public void resetPollIn(Handle handle)
    {
        register(handle, SelectionKey.OP_READ, false);
    }

    public void setPollOut(Handle handle)
    {
        register(handle, SelectionKey.OP_WRITE, true);
    }

    public void resetPollOut(Handle handle)
    {
        register(handle, SelectionKey.OP_WRITE, false);
    }

    public void setPollConnect(Handle handle)
    {
        register(handle, SelectionKey.OP_CONNECT, true);
    }

    public void setPollAccept(Handle handle)
    {
        register(handle, SelectionKey.OP_ACCEPT, true);
    }

    private void register(Handle handle, int ops, boolean add)
    {
        assert (Thread.currentThread() == worker || !worker.isAlive());

        if (add) {
            handle.ops |= ops;
        }
        else {
            handle.ops &= ~ops;
        }
        queue(handle);
    }

    private void queue(Handle handle)
    {
        if (!handle.queued) {
            handle.queued = true;
            changed.add(handle);
        }
        retired = true;
    }

    public void start()
    {
        worker.start();
    }

    public void stop()
    {
        stopping.set(true);
        retired = false;
        selector.wakeup();
    }

    @Override
    public void run()
    {
        int returnsImmediately = 0;

        while (!stopping.get()) {
            if (retired) {
                retired = false;
                if (rebuild) {
                    rebuild = false;
                    Iterator<Handle> iter = fdTable.iterator();
                    while (iter.hasNext()) {
                        Handle handle = iter.next();
                        if (gone(handle)) {
                            iter.remove();
                        }
                        else {
                            apply(handle);
                        }
                    }
                    for (Handle handle : changed) {
                        handle.queued = false;
                    }
                    changed.clear();
                }
                else {
                    applyChanged();
                }
            }

            //  Execute any due timers: after the changes, whose flush may have run handlers that
            //  set timers.
            long timeout = executeTimers();

            //  A selectNow above cleared any wakeup by stop(), which set stopping first.
            if (stopping.get()) {
                break;
            }
            //  Wait for events, each handled as the selector finds it: no selected-key set,
            //  whose table keeps the size of the largest burst and costs that much to walk.
            int rc;
            long start = System.currentTimeMillis();
            try {
                rc = retired ? selector.selectNow(this::dispatch) : selector.select(this::dispatch, timeout);
            }
            catch (ClosedSelectorException e) {
                if (stopping.get()) {
                    break; // closed by the context after stop(): no new selector to leak
                }
                rebuildSelector();
                exnotification.uncaughtException(worker, e);
                ctx.errno().set(ZError.EINTR);
                continue;
            }
            catch (IOException e) {
                throw new ZError.IOException(e);
            }

            if (rc == 0 && !retired) {
                returnsImmediately = maybeRebuildSelector(returnsImmediately, timeout, start);
            }
        }
        stopped.countDown();
    }

    private void dispatch(SelectionKey key)
    {
        Handle pollset = (Handle) key.attachment();
        if (pollset.cancelled) {
            return;
        }

        try {
            if (key.isValid() && key.isAcceptable()) {
                pollset.handler.acceptEvent();
            }
            if (key.isValid() && key.isConnectable()) {
                pollset.handler.connectEvent();
            }
            if (key.isValid() && key.isWritable()) {
                pollset.handler.outEvent();
            }
            if (key.isValid() && key.isReadable()) {
                pollset.handler.inEvent();
            }
        }
        catch (RuntimeException e) {
            exnotification.uncaughtException(worker, e);
        }
    }

    //  Applies the changed handles. The keys of removed handles are cancelled first and, when
    //  there were any, flushed from the selector (selectNow), so that a channel that moves to a new
    //  handle (a connecter's channel taken over by its engine) can be registered again at once.
    private void applyChanged()
    {
        List<Handle> batch = new ArrayList<>(changed);
        changed.clear();
        boolean cancelled = false;
        for (Handle handle : batch) {
            handle.queued = false;
            if (handle.cancelled || !handle.fd.isOpen()) {
                SelectionKey key = handle.fd.keyFor(selector);
                if (key != null && key.attachment() == handle) {
                    key.cancel();
                    cancelled = true;
                }
                fdTable.remove(handle);
            }
        }
        if (cancelled) {
            try {
                selector.selectNow(this::dispatch);
            }
            catch (ClosedSelectorException e) {
                if (stopping.get()) {
                    return; // the reaper's last event stopped it, and the context closed the selector
                }
                //  as in run(): a new selector, to which every handle is applied on the next pass
                rebuildSelector();
                exnotification.uncaughtException(worker, e);
                ctx.errno().set(ZError.EINTR);
                for (Handle handle : batch) {
                    if (!handle.cancelled && handle.fd.isOpen()) {
                        fdTable.add(handle);
                    }
                }
                return;
            }
            catch (IOException e) {
                throw new ZError.IOException(e);
            }
            if (stopping.get()) {
                return; // a handler stopped the poller: the loop ends, nothing more to apply
            }
        }
        for (Handle handle : batch) {
            if (!handle.cancelled && handle.fd.isOpen()) {
                fdTable.add(handle);
                apply(handle);
            }
        }
    }

    //  A removed handle, or one whose channel was closed: its key is cancelled.
    private boolean gone(Handle handle)
    {
        if (handle.cancelled || !handle.fd.isOpen()) {
            SelectionKey key = handle.fd.keyFor(selector);
            if (key != null) {
                key.cancel();
            }
            return true;
        }
        return false;
    }

    //  Applies a live handle's interest to the selector. A key still cancelled is tried again on
    //  the next pass.
    private void apply(Handle handle)
    {
        SelectionKey key = handle.fd.keyFor(selector);
        if (key == null) {
            try {
                key = handle.fd.register(selector, handle.ops, handle);
                assert (key != null);
            }
            catch (CancelledKeyException | ClosedSelectorException | ClosedChannelException e) {
                exnotification.uncaughtException(worker, e);
            }
        }
        else if (key.isValid()) {
            if (key.attachment() != handle) {
                key.attach(handle);
            }
            key.interestOps(handle.ops);
        }
        else {
            queue(handle);
        }
    }

    private int maybeRebuildSelector(int returnsImmediately, long timeout, long start)
    {
        //  Guess JDK epoll bug
        if (timeout == 0 || System.currentTimeMillis() - start < timeout / 2) {
            returnsImmediately++;
        }
        else {
            returnsImmediately = 0;
        }

        if (returnsImmediately > 10) {
            rebuildSelector();
            returnsImmediately = 0;
        }
        return returnsImmediately;
    }

    private void rebuildSelector()
    {
        Selector oldSelector = selector;

        selector = ctx.createSelector();
        retired = true;
        rebuild = true;

        ctx.closeSelector(oldSelector);
    }
}
