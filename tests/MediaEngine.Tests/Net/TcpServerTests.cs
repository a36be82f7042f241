using System.Net;
using System.Net.Sockets;
using MediaEngine.Net;
using MediaEngine.Workers;

namespace MediaEngine.Tests.Net;

/// <summary>ICE-TCP connections on a real worker and loopback sockets: none kept without ICE, none blocking the worker.</summary>
public sealed class TcpServerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Worker _worker = new(0);
    private readonly List<TcpConnection> _connections = new();
    private readonly TcpServer _server;

    public TcpServerTests()
    {
        // A connection's first packet stands for ICE taking it, as a STUN check would.
        _server = On(() => new TcpServer(_worker, new IPEndPoint(IPAddress.Loopback, 0), (_, connection) =>
        {
            connection.Claimed = true;
            if (!_connections.Contains(connection))
                _connections.Add(connection);
        }, iceTimeout: TimeSpan.FromMilliseconds(1500)));
    }

    [Fact]
    public async Task A_connection_ice_never_took_is_closed_after_the_timeout_and_one_it_took_stays()
    {
        using var idle = await ConnectAsync();
        using var taken = await ConnectAsync();
        taken.Send([0, 1, 7]);
        WaitUntil(() => On(() => _connections.Count) == 1, "a packet on the second connection");

        Assert.Equal(0, await ReceiveAsync(idle, new byte[16]));
        Assert.Equal(1, On(() => _server.ConnectionsTimedOut));
        await Task.Delay(2000);
        Assert.False(On(() => _connections[0].IsClosed));
        Assert.Equal(1, On(() => _server.ConnectionsTimedOut));
    }

    [Fact]
    public async Task Sending_to_a_peer_that_does_not_read_drops_and_counts_without_blocking_and_keeps_the_framing()
    {
        using var client = await ConnectAsync();
        client.Send([0, 1, 7]);
        WaitUntil(() => On(() => _connections.Count) == 1, "the connection's first packet");
        var packet = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        On(() =>
        {
            for (var i = 0; i < 20_000; i++)
                _connections[0].Send(packet);
        });
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(2), $"20,000 sends took {elapsed.Elapsed}");
        var dropped = On(() => _connections[0].SendsDropped);
        Assert.True(dropped > 0, "nothing dropped");

        // What the socket took arrives as whole frames: 2-byte length, then the packet.
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        client.ReceiveTimeout = 500;
        while (true)
        {
            int count;
            try
            {
                count = client.Receive(buffer);
            }
            catch (SocketException)
            {
                break;
            }
            if (count == 0)
                break;
            received.Write(buffer, 0, count);
        }
        var bytes = received.ToArray();

        var frames = 0;
        for (var offset = 0; offset + 2 <= bytes.Length; frames++)
        {
            var length = (bytes[offset] << 8) | bytes[offset + 1];
            Assert.Equal(packet.Length, length);
            if (offset + 2 + length > bytes.Length)
                break;
            Assert.True(packet.AsSpan().SequenceEqual(bytes.AsSpan(offset + 2, length)), $"frame {frames} differs");
            offset += 2 + length;
        }
        // Every packet arrived whole or was counted as dropped; one may still wait in part behind a full buffer.
        Assert.True(frames > 0);
        Assert.True(20_000 - frames - dropped is 0 or 1, $"{frames} frames ({bytes.Length} bytes) and {dropped} dropped of 20,000");
    }

    public void Dispose()
    {
        On(_server.Dispose);
        _worker.Dispose();
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_server.LocalEndPoint);
        return socket;
    }

    private static async Task<int> ReceiveAsync(Socket socket, byte[] buffer) =>
        await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Timeout);

    private T On<T>(Func<T> function) => _worker.InvokeAsync(function).WaitAsync(Timeout).GetAwaiter().GetResult();

    private void On(Action action) => _worker.InvokeAsync(action).WaitAsync(Timeout).GetAwaiter().GetResult();

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            Thread.Sleep(5);
        }
    }
}
