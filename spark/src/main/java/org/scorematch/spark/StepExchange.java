package org.scorematch.spark;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.TaskKilledException;

/**
 * The sum of every barrier task's part of a step, the same bits in every task: task 0 receives
 * the parts over TCP, adds them in partition order ({@code 0 + p₀ + p₁ + …}, the order of the
 * job-per-step mode) and sends the sum back.
 *
 * <p>Why not {@code BarrierTaskContext.allGather} every step: Spark 4.1 waits for its reply by
 * sleeping a second at a time ({@code BarrierTaskContext.runBarrier} polls the RPC future with
 * {@code Thread.sleep(1000)}), so each call costs about a second, a hundred times a step's
 * compute. It is used once per job instead, to hand task 0's port and a random token to the
 * others over Spark's own (authenticated) RPC; a connection that does not present the token is
 * refused. The parts travel as raw IEEE bits, so nothing is rounded.
 */
final class StepExchange implements Closeable {
    private final int partition;
    private final Socket[] peers;
    private final BarrierTaskContext context;
    private final long timeoutNanos;
    private byte[] buffer = new byte[0];

    private StepExchange(int partition, Socket[] peers, BarrierTaskContext context, long timeoutNanos) {
        this.partition = partition;
        this.peers = peers;
        this.context = context;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Connects the job's tasks (one {@code allGather}); {@code timeoutSeconds} bounds the connecting
     * and each wait for a peer's data (writes are bounded by TCP itself, and Spark kills a stuck
     * task when its stage fails).
     */
    static StepExchange connect(BarrierTaskContext context, int timeoutSeconds) throws IOException {
        int partition = context.partitionId();
        int tasks = context.getTaskInfos().length;
        long timeout = timeoutSeconds * 1_000_000_000L;
        if (tasks == 1) {
            return new StepExchange(partition, new Socket[0], context, timeout);
        }
        if (partition == 0) {
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(0));
                byte[] token = new byte[16];
                new SecureRandom().nextBytes(token);
                String secret = Base64.getEncoder().encodeToString(token);
                context.allGather(server.getLocalPort() + " " + secret);
                server.setSoTimeout(1000);
                Socket[] peers = new Socket[tasks];
                long deadline = System.nanoTime() + timeout;
                try {
                    for (int accepted = 1; accepted < tasks; ) {
                        Socket s;
                        try {
                            s = server.accept();
                        } catch (SocketTimeoutException e) {
                            checkAlive(context, deadline, "the other tasks to connect");
                            continue;
                        }
                        int from = handshake(s, token, tasks, context);
                        if (from < 0 || peers[from] != null) {
                            // Not one of this job's tasks (a stray connection, or a wrong token): dropped.
                            s.close();
                            continue;
                        }
                        peers[from] = s;
                        accepted++;
                    }
                } catch (IOException | RuntimeException e) {
                    closeAll(peers);
                    throw e;
                }
                return new StepExchange(0, peers, context, timeout);
            }
        }
        String[] messages = context.allGather("");
        String[] portAndToken = messages[0].split(" ");
        String address = context.getTaskInfos()[0].address();
        String host = address.contains(":") ? address.substring(0, address.lastIndexOf(':')) : address;
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, Integer.parseInt(portAndToken[0])), timeoutSeconds * 1000);
            s.setTcpNoDelay(true);
            s.setSoTimeout(1000);
            byte[] token = Base64.getDecoder().decode(portAndToken[1]);
            ByteBuffer header = ByteBuffer.allocate(4 + token.length).putInt(partition).put(token);
            OutputStream out = s.getOutputStream();
            out.write(header.array());
            out.flush();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return new StepExchange(partition, new Socket[] {s}, context, timeout);
    }

    /**
     * Reads a connecting task's header (its partition and the token) within ten seconds; returns
     * the partition, or −1 for a connection that is not one of this job's tasks.
     */
    private static int handshake(Socket s, byte[] token, int tasks, BarrierTaskContext context) {
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(1000);
            byte[] header = new byte[4 + token.length];
            new StepExchange(0, new Socket[0], context, 10_000_000_000L).readFully(s.getInputStream(), header,
                    header.length);
            int from = ByteBuffer.wrap(header).getInt();
            boolean ours = Arrays.equals(Arrays.copyOfRange(header, 4, header.length), token) && from >= 1 && from < tasks;
            return ours ? from : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void closeAll(Socket[] sockets) throws IOException {
        for (Socket s : sockets) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** The sum over all tasks' {@code part}s (each of the same length), in partition order. */
    double[] sum(double[] part) throws IOException {
        int bytes = part.length * Double.BYTES;
        if (buffer.length != bytes) {
            buffer = new byte[bytes];
        }
        double[] sum = new double[part.length];
        if (partition != 0) {
            write(peers[0], part);
            readFully(peers[0].getInputStream(), buffer, bytes);
            ByteBuffer.wrap(buffer).asDoubleBuffer().get(sum);
            return sum;
        }
        add(sum, part);
        double[] other = new double[part.length];
        for (int p = 1; p < peers.length; p++) {
            readFully(peers[p].getInputStream(), buffer, bytes);
            ByteBuffer.wrap(buffer).asDoubleBuffer().get(other);
            add(sum, other);
        }
        for (int p = 1; p < peers.length; p++) {
            write(peers[p], sum);
        }
        return sum;
    }

    private static void add(double[] sum, double[] v) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += v[i];
        }
    }

    private void write(Socket s, double[] v) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buffer);
        b.asDoubleBuffer().put(v);
        OutputStream out = s.getOutputStream();
        out.write(buffer, 0, v.length * Double.BYTES);
        out.flush();
    }

    /** Reads {@code n} bytes, checking each second that the task is alive and the peer within the timeout. */
    private void readFully(InputStream in, byte[] into, int n) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        int off = 0;
        while (off < n) {
            try {
                int r = in.read(into, off, n - off);
                if (r < 0) {
                    throw new EOFException("a barrier task closed its connection");
                }
                off += r;
            } catch (SocketTimeoutException e) {
                checkAlive(context, deadline, "a part of the step from another task");
            }
        }
    }

    /** A wait past the deadline is an I/O failure (the job is resubmitted), not the training's. */
    private static void checkAlive(BarrierTaskContext context, long deadline, String what) throws IOException {
        if (context.isInterrupted()) {
            throw new TaskKilledException("killed while waiting for " + what);
        }
        if (System.nanoTime() > deadline) {
            throw new SocketTimeoutException("barrier job: waited too long for " + what);
        }
    }

    @Override
    public void close() throws IOException {
        closeAll(peers);
    }
}
