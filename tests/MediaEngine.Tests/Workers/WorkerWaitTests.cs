using System.Net;
using System.Net.Sockets;
using MediaEngine.Net;
using MediaEngine.Workers;

namespace MediaEngine.Tests.Workers;

/// <summary>
/// The worker's wait over real loopback sockets, with each wait it can use (epoll runs on Linux only):
/// many sockets, the datagram cap per wake-up, timers, removal, ICE-TCP sockets, and no allocation by epoll.
/// </summary>
public sealed class WorkerWaitTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly Socket _client = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private Worker? _worker;

    public WorkerWaitTests() => _client.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    public void Dispose()
    {
        _client.Dispose();
        _worker?.Dispose();
    }

    public static TheoryData<string> Waits => EpollSocketPoller.IsSupported ? new() { "epoll", "select" } : new() { "select" };

    private Worker StartWorker(string wait)
    {
        _worker = new Worker(0, wait == "epoll" ? new EpollSocketPoller() : new SelectSocketPoller());
        return _worker;
    }

    private static Task<T> On<T>(Worker worker, Func<T> function) => worker.InvokeAsync(function).WaitAsync(Timeout);

    private static Task On(Worker worker, Action action) => worker.InvokeAsync(action).WaitAsync(Timeout);

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            Thread.Sleep(1);
        }
    }

    /// <summary>Listeners whose handlers count per socket, and record what the worker thread had allocated by then.</summary>
    private sealed class CountingListeners(int count)
    {
        public readonly int[] Received = new int[count];
        public readonly UdpListener[] Listeners = new UdpListener[count];
        public long Total;
        public long AllocatedAtLastDatagram;

        public void Open(Worker worker)
        {
            for (var i = 0; i < Listeners.Length; i++)
            {
                var index = i;
                Listeners[i] = new UdpListener(worker, new IPEndPoint(IPAddress.Loopback, 0), (_, _, _) =>
                {
                    Received[index]++;
                    Volatile.Write(ref AllocatedAtLastDatagram, GC.GetAllocatedBytesForCurrentThread());
                    Interlocked.Increment(ref Total);
                });
            }
        }
    }

    /// <summary>One datagram to every listener, then waits until all have been handled.</summary>
    private void SendRound(CountingListeners sockets, long expectedTotal)
    {
        foreach (var listener in sockets.Listeners)
            _client.SendTo([1, 2, 3, 4], listener.LocalEndPoint);
        WaitUntil(() => Interlocked.Read(ref sockets.Total) == expectedTotal, $"{expectedTotal} datagrams");
    }

    [Theory]
    [MemberData(nameof(Waits))]
    public async Task Each_of_200_sockets_receives_what_is_sent_to_it(string wait)
    {
        var worker = StartWorker(wait);
        var sockets = new CountingListeners(200);
        await On(worker, () => sockets.Open(worker));

        const int rounds = 5;
        for (var round = 1; round <= rounds; round++)
            SendRound(sockets, round * 200L);

        Assert.All(await On(worker, () => sockets.Received.ToArray()), count => Assert.Equal(rounds, count));
        Assert.Equal(0, worker.HandlerErrors);
    }

    [Fact]
    public async Task With_epoll_the_wait_allocates_nothing_over_200_sockets()
    {
        if (!EpollSocketPoller.IsSupported)
            return;
        var worker = StartWorker("epoll");
        var sockets = new CountingListeners(200);
        await On(worker, () => sockets.Open(worker));
        for (var round = 1; round <= 3; round++)
            SendRound(sockets, round * 200L); // first runs of every path (JIT, first-use initialisation)

        // Between readings the worker only waits and handles datagrams: no command is posted. Each window has
        // rounds of one datagram per socket, some sockets one at a time, and idle waits that time out; the
        // quietest window is judged, as SteadyState explains.
        const int roundsPerWindow = 14;
        var allocations = new long[SteadyState.Windows];
        var expected = 600L;
        for (var window = 0; window < SteadyState.Windows; window++)
        {
            var before = Volatile.Read(ref sockets.AllocatedAtLastDatagram);
            for (var round = 0; round < roundsPerWindow; round++)
            {
                expected += 200;
                SendRound(sockets, expected);
                if (round % 7 == 0)
                {
                    expected++;
                    _client.SendTo([9], sockets.Listeners[window * roundsPerWindow + round].LocalEndPoint);
                    WaitUntil(() => Interlocked.Read(ref sockets.Total) == expected, "a single datagram");
                    Thread.Sleep(300); // longer than the worker's idle wait
                }
            }
            allocations[window] = Volatile.Read(ref sockets.AllocatedAtLastDatagram) - before;
        }

        Assert.True(allocations.Min() == 0, $"bytes allocated by the worker per window: {string.Join(", ", allocations)}");
        Assert.Equal(0, worker.HandlerErrors);
    }

    [Theory]
    [MemberData(nameof(Waits))]
    public async Task Datagrams_left_over_by_the_cap_per_wake_up_are_read_in_later_rounds(string wait)
    {
        var worker = StartWorker(wait);
        var sockets = new CountingListeners(1);
        await On(worker, () => sockets.Open(worker));
        // Queued while the worker is held by a command, so the socket holds more than one wake-up may read (256).
        var release = new ManualResetEventSlim();
        worker.Post(() => release.Wait(Timeout));
        const int count = 600;
        for (var i = 0; i < count; i++)
            _client.SendTo([7], sockets.Listeners[0].LocalEndPoint);
        release.Set();

        WaitUntil(() => Interlocked.Read(ref sockets.Total) == count, $"{count} datagrams");
    }

    [Theory]
    [MemberData(nameof(Waits))]
    public async Task Timers_and_posted_commands_run_while_200_idle_sockets_are_watched(string wait)
    {
        var worker = StartWorker(wait);
        var sockets = new CountingListeners(200);
        await On(worker, () => sockets.Open(worker));
        var ticks = 0;
        var timer = await On(worker, () => worker.Every(TimeSpan.FromMilliseconds(10), () => Interlocked.Increment(ref ticks)));

        WaitUntil(() => Volatile.Read(ref ticks) >= 5, "5 timer ticks");
        for (var i = 0; i < 20; i++)
            Assert.Equal(i, await worker.InvokeAsync(() => i).WaitAsync(Timeout));
        await On(worker, timer.Dispose);
    }

    [Theory]
    [MemberData(nameof(Waits))]
    public async Task A_removed_socket_is_no_longer_handled_and_the_others_still_are(string wait)
    {
        var worker = StartWorker(wait);
        var sockets = new CountingListeners(3);
        await On(worker, () => sockets.Open(worker));
        await On(worker, sockets.Listeners[1].Dispose);

        _client.SendTo([1], sockets.Listeners[0].LocalEndPoint);
        _client.SendTo([1], sockets.Listeners[2].LocalEndPoint);
        WaitUntil(() => Interlocked.Read(ref sockets.Total) == 2, "2 datagrams");
        Assert.Equal(new[] { 1, 0, 1 }, await On(worker, () => sockets.Received.ToArray()));
    }

    [Theory]
    [MemberData(nameof(Waits))]
    public async Task A_listener_disposed_from_another_thread_leaves_the_worker_serving_the_rest(string wait)
    {
        var worker = StartWorker(wait);
        var sockets = new CountingListeners(2);
        await On(worker, () => sockets.Open(worker));
        sockets.Listeners[0].Dispose();

        _client.SendTo([1], sockets.Listeners[1].LocalEndPoint);
        WaitUntil(() => Interlocked.Read(ref sockets.Total) == 1, "a datagram");
        Assert.Equal(0, await On(worker, () => worker.HandlerErrors));
    }

    [Theory]
    [MemberData(nameof(Waits))]
    public async Task Tcp_accept_framed_packets_and_close_go_through_the_wait(string wait)
    {
        var worker = StartWorker(wait);
        var packets = new List<byte[]>();
        var closed = 0;
        var server = await On(worker, () =>
        {
            var tcp = new TcpServer(worker, new IPEndPoint(IPAddress.Loopback, 0), (packet, _) => packets.Add(packet.ToArray()));
            tcp.ConnectionClosed += _ => Interlocked.Increment(ref closed);
            return tcp;
        });

        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(server.LocalEndPoint);
            client.Send([0, 3, 1, 2, 3, 0, 1, 9]);
            WaitUntil(() => On(worker, () => packets.Count).Result == 2, "2 packets");
        }
        WaitUntil(() => Volatile.Read(ref closed) == 1, "the connection to close");

        Assert.Equal(new byte[] { 1, 2, 3 }, packets[0]);
        Assert.Equal(new byte[] { 9 }, packets[1]);
        await On(worker, server.Dispose);
    }
}
