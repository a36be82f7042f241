using System.Net;
using System.Net.Sockets;
using MediaEngine.Net;
using MediaEngine.Workers;

namespace MediaEngine.Tests.Net;

/// <summary>The worker's UDP socket over real loopback sockets: batched reads, and sends made while handling a datagram leaving together.</summary>
public sealed class UdpListenerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Worker _worker = new(0);
    private readonly Socket _client = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public UdpListenerTests() => _client.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    public void Dispose()
    {
        _client.Dispose();
        _worker.Dispose();
    }

    private Task<UdpListener> ListenAsync(UdpListener.DatagramHandler handler) =>
        _worker.InvokeAsync(() => new UdpListener(_worker, new IPEndPoint(IPAddress.Loopback, 0), handler)).WaitAsync(Timeout);

    private Task OnWorker(Action action) => _worker.InvokeAsync(action).WaitAsync(Timeout);

    private Task<T> OnWorker<T>(Func<T> function) => _worker.InvokeAsync(function).WaitAsync(Timeout);

    private byte[] Receive()
    {
        var buffer = new byte[8192];
        Assert.True(_client.Poll(Timeout, SelectMode.SelectRead), "no datagram arrived");
        return buffer[.._client.Receive(buffer)];
    }

    /// <summary>Echoes each datagram three times, the copy index appended, as a producer's packet goes to three consumers.</summary>
    private static void EchoThreeTimes(Span<byte> datagram, SocketAddress source, UdpListener listener)
    {
        if (datagram[0] == 0xEE)
            throw new InvalidOperationException("a datagram the handler cannot take");
        var reply = new byte[datagram.Length + 1];
        datagram.CopyTo(reply);
        for (byte copy = 0; copy < 3; copy++)
        {
            reply[^1] = copy;
            listener.SendTo(reply, source);
        }
    }

    [Fact]
    public async Task Every_send_made_while_handling_a_burst_arrives_in_order()
    {
        var listener = await ListenAsync(EchoThreeTimes);
        for (byte i = 1; i <= 49; i++)
            _client.SendTo([i, 7, 7, 7], listener.LocalEndPoint);

        for (byte i = 1; i <= 49; i++)
        {
            for (byte copy = 0; copy < 3; copy++)
                Assert.Equal(new byte[] { i, 7, 7, 7, copy }, Receive());
        }
        Assert.Equal(49, await OnWorker(() => listener.DatagramsReceived));
        await OnWorker(listener.Dispose);
    }

    [Fact]
    public async Task A_send_outside_any_handler_leaves_at_once()
    {
        var listener = await ListenAsync(EchoThreeTimes);
        var destination = ((IPEndPoint)_client.LocalEndPoint!).Serialize();
        await OnWorker(() => listener.SendTo([42], destination));
        Assert.Equal(new byte[] { 42 }, Receive());
        await OnWorker(listener.Dispose);
    }

    [Fact]
    public async Task A_datagram_whose_handler_throws_is_counted_and_the_others_are_still_handled()
    {
        var listener = await ListenAsync(EchoThreeTimes);
        _client.SendTo([1], listener.LocalEndPoint);
        _client.SendTo([0xEE], listener.LocalEndPoint);
        _client.SendTo([3], listener.LocalEndPoint);

        var replies = Enumerable.Range(0, 6).Select(_ => Receive()[0]).ToArray();
        Assert.Equal(new byte[] { 1, 1, 1, 3, 3, 3 }, replies);
        Assert.Equal(1, _worker.HandlerErrors);
        await OnWorker(listener.Dispose);
    }

    [Fact]
    public async Task A_datagram_longer_than_a_batch_slot_is_dropped_and_counted_on_linux()
    {
        var listener = await ListenAsync(EchoThreeTimes);
        _client.SendTo(new byte[DatagramBatch.SlotLength + 1], listener.LocalEndPoint);
        _client.SendTo([5], listener.LocalEndPoint);

        if (DatagramBatch.IsSupported)
        {
            Assert.Equal(new byte[] { 5, 0 }, Receive());
            Assert.Equal(1, await OnWorker(() => listener.DatagramsTooLong));
        }
        else
        {
            Assert.Equal(DatagramBatch.SlotLength + 2, Receive().Length);
        }
        await OnWorker(listener.Dispose);
    }
}
