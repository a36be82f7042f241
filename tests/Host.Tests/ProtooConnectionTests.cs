using System.Net.WebSockets;
using Actors.Peers;
using Akka.Actor;
using Microsoft.Extensions.Logging.Abstractions;
using Signaling;
using Signaling.Protoo;

namespace Host.Tests;

public sealed class ProtooConnectionTests
{
    /// <summary>A peer that stops reading: its first frame is taken and never finishes sending; only an abort ends it.</summary>
    private sealed class StalledSocket : WebSocket
    {
        private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private WebSocketState _state = WebSocketState.Open;

        public int Sends { get; private set; }

        public bool Aborted => _aborted.Task.IsCompleted;

        public override WebSocketCloseStatus? CloseStatus => null;
        public override string? CloseStatusDescription => null;
        public override WebSocketState State => _state;
        public override string? SubProtocol => "protoo";

        public override void Abort()
        {
            _state = WebSocketState.Aborted;
            _aborted.TrySetResult();
        }

        public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
        {
            await _aborted.Task.WaitAsync(cancellationToken);
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        }

        public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            Sends++;
            await _aborted.Task.WaitAsync(cancellationToken);
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        }

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;
        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;
        public override void Dispose() { }
    }

    [Fact]
    public async Task A_peer_that_does_not_read_loses_its_connection_once_its_queue_passes_the_limit()
    {
        var socket = new StalledSocket();
        var connection = new ProtooConnection(NullLogger.Instance, "test", new ClientLimits(SendQueueBytes: 10_000));
        var running = connection.RunAsync(socket, ActorRefs.Nobody, CancellationToken.None);
        var data = JsonData.Of(new { text = new string('x', 2_000) });

        connection.Notify("chatMessage", data);
        await Task.Delay(100);
        Assert.False(socket.Aborted);
        for (var i = 0; i < 3; i++)
            connection.Notify("chatMessage", data);
        Assert.False(socket.Aborted); // 4 frames of ~2 KB: under 10,000 bytes

        for (var i = 0; i < 2; i++)
            connection.Notify("chatMessage", data);
        await running.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(socket.Aborted);
        Assert.Equal(1, socket.Sends);
    }
}
