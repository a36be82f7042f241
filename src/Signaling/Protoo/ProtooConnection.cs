using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace Signaling.Protoo;

/// <summary>
/// A protoo peer over a WebSocket. Actors enqueue frames (never blocking); one writer loop
/// sends them in order, one reader loop turns received frames into messages for the peer's
/// session actor. Frames queued before the socket is accepted go out first once it is.
/// </summary>
public sealed class ProtooConnection : IPeerConnection
{
    private abstract record Outgoing;
    private sealed record TextFrame(byte[] Utf8) : Outgoing;
    private sealed record CloseFrame(int Code, string Reason) : Outgoing;

    private readonly Channel<Outgoing> _outgoing = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly string _description;
    private readonly ClientLimits _limits;

    /// <summary>Bytes of frames queued and not yet handed to the socket.</summary>
    private long _queuedBytes;

    /// <summary>Set while <see cref="RunAsync"/> runs: what an overflowing queue aborts.</summary>
    private volatile WebSocket? _socket;

    /// <summary>How long the reader waits for the client's close frame after ours before giving up.</summary>
    private static readonly TimeSpan CloseHandshakeGrace = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource _readerGivesUp = new();
    private volatile bool _completed;

    private readonly TokenBucket? _requestLimit;
    private readonly long _opened = Stopwatch.GetTimestamp();

    public ProtooConnection(ILogger logger, string description, ClientLimits limits)
    {
        _logger = logger;
        _description = description;
        _limits = limits;
        _requestLimit = limits.NewRequestLimit();
    }

    /// <summary>
    /// A room sends one notification's data to every member it concerns: its frame is made once
    /// and shared by every connection it goes to.
    /// </summary>
    private static readonly ConditionalWeakTable<JsonData, SharedNotification> Notifications = new();

    private sealed record SharedNotification(string Method, byte[] Utf8);

    private static readonly JsonWriterOptions FrameWriting = new() { Encoder = JsonData.Options.Encoder };

    public void Notify(string method, JsonData data)
    {
        var shared = Notifications.GetValue(data, d => new SharedNotification(method, NotificationFrame(method, d)));
        Enqueue(shared.Method == method ? shared.Utf8 : NotificationFrame(method, data));
    }

    public void Request(int requestId, string method, JsonData data) =>
        Enqueue(Frame(writer =>
        {
            writer.WriteBoolean("request", true);
            writer.WriteNumber("id", requestId);
            writer.WriteString("method", method);
            writer.WritePropertyName("data");
            writer.WriteRawValue(data.Utf8.Span, skipInputValidation: true);
        }));

    public void Respond(int requestId, CommandResult result)
    {
        switch (result)
        {
            case CommandSuccess success:
                Enqueue(Frame(writer =>
                {
                    writer.WriteBoolean("response", true);
                    writer.WriteNumber("id", requestId);
                    writer.WriteBoolean("ok", true);
                    writer.WritePropertyName("data");
                    writer.WriteRawValue((success.Data ?? JsonData.EmptyObject).Utf8.Span, skipInputValidation: true);
                }));
                break;
            case CommandFailure failure:
                Enqueue(new { response = true, id = requestId, ok = false, errorCode = failure.ProtooErrorCode, errorReason = failure.Message });
                break;
        }
    }

    public void Close(int code, string reason)
    {
        _outgoing.Writer.TryWrite(new CloseFrame(code, reason));
        _completed = true;
        _outgoing.Writer.TryComplete();
    }

    private static byte[] NotificationFrame(string method, JsonData data) => Frame(writer =>
    {
        writer.WriteBoolean("notification", true);
        writer.WriteString("method", method);
        writer.WritePropertyName("data");
        writer.WriteRawValue(data.Utf8.Span, skipInputValidation: true);
    });

    /// <summary>One protoo frame: a JSON object whose members <paramref name="writeMembers"/> writes, with the room's data spliced in as it is.</summary>
    private static byte[] Frame(Action<Utf8JsonWriter> writeMembers)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, FrameWriting))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private void Enqueue(object frame)
    {
        if (!_completed)
            Enqueue(JsonSerializer.SerializeToUtf8Bytes(frame, JsonData.Options));
    }

    /// <summary>
    /// Queues a frame; a peer that stops reading while its queue passes the limit loses its
    /// connection (aborted: a close frame would wait behind the queue), never single frames.
    /// </summary>
    private void Enqueue(byte[] utf8)
    {
        if (_completed)
            return;
        if (Interlocked.Add(ref _queuedBytes, utf8.Length) > _limits.SendQueueBytes)
        {
            _logger.LogWarning("{Connection}: over {Limit} bytes waiting to be sent (the peer does not read): connection aborted",
                _description, _limits.SendQueueBytes);
            _completed = true;
            _outgoing.Writer.TryComplete();
            _socket?.Abort();
            return;
        }
        _outgoing.Writer.TryWrite(new TextFrame(utf8));
    }

    /// <summary>Runs until the socket closes; then tells the session actor.</summary>
    public async Task RunAsync(WebSocket socket, IActorRef session, CancellationToken cancellation)
    {
        _socket = socket;
        if (_completed && Interlocked.Read(ref _queuedBytes) > _limits.SendQueueBytes)
            socket.Abort();
        var writer = WriteLoopAsync(socket, cancellation);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _readerGivesUp.Token);
        try
        {
            await ReadLoopAsync(socket, session, reading.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            _logger.LogInformation("{Connection}: socket ended: {Reason}", _description, e.Message);
        }
        finally
        {
            _completed = true;
            _outgoing.Writer.TryComplete();
            session.Tell(ConnectionClosed.Instance);
        }
        await writer;
        await AcknowledgeCloseAsync(socket);
    }

    private async Task AcknowledgeCloseAsync(WebSocket socket)
    {
        if (socket.State != WebSocketState.CloseReceived)
            return;
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }
        catch (WebSocketException e)
        {
            _logger.LogDebug("{Connection}: close handshake failed: {Reason}", _description, e.Message);
        }
    }

    private async Task ReadLoopAsync(WebSocket socket, IActorRef session, CancellationToken cancellation)
    {
        var buffer = new byte[16 * 1024];
        var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            var received = await socket.ReceiveAsync(buffer, cancellation);
            if (received.MessageType == WebSocketMessageType.Close)
                return;
            if (message.Length + received.Count > _limits.MaxMessageBytes)
            {
                _logger.LogWarning("{Connection}: message over {Max} bytes, closing", _description, _limits.MaxMessageBytes);
                Close((int)WebSocketCloseStatus.MessageTooBig, "message too big");
                return;
            }
            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
                continue;

            if (received.MessageType == WebSocketMessageType.Text)
                Dispatch(message.GetBuffer().AsMemory(0, (int)message.Length), session);
            else
                _logger.LogDebug("{Connection}: binary frame ignored", _description);
            message.SetLength(0);
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> utf8, IActorRef session)
    {
        switch (ProtooMessage.Parse(utf8))
        {
            case ProtooRequest request when _requestLimit?.TryTake(Stopwatch.GetElapsedTime(_opened).TotalSeconds) == false:
                Respond(request.Id, CommandResult.TooManyRequests(
                    $"too many requests (limit {_limits.RequestsPerSecond} per second, {_limits.RequestBurst} at once)"));
                break;
            case ProtooRequest request:
                var (command, error) = ProtooRequestMapper.Map(request.Method, request.Data, _limits);
                if (command is not null)
                    session.Tell(new ClientRequest(request.Id, command));
                else
                    Respond(request.Id, error!);
                break;
            case ProtooResponse response:
                session.Tell(new ClientResponse(response.Id, response.Ok, response.Data, response.ErrorCode, response.ErrorReason));
                break;
            case ProtooNotification notification:
                _logger.LogDebug("{Connection}: client notification {Method} ignored", _description, notification.Method);
                break;
            default:
                _logger.LogDebug("{Connection}: invalid protoo message dropped", _description);
                break;
        }
    }

    private async Task WriteLoopAsync(WebSocket socket, CancellationToken cancellation)
    {
        try
        {
            await foreach (var frame in _outgoing.Reader.ReadAllAsync(cancellation))
            {
                switch (frame)
                {
                    case TextFrame text when socket.State == WebSocketState.Open:
                        await socket.SendAsync(text.Utf8, WebSocketMessageType.Text, true, cancellation);
                        Interlocked.Add(ref _queuedBytes, -text.Utf8.Length);
                        break;
                    case CloseFrame close when socket.State is WebSocketState.Open or WebSocketState.CloseReceived:
                        await socket.CloseOutputAsync((WebSocketCloseStatus)close.Code, close.Reason, cancellation);
                        _readerGivesUp.CancelAfter(CloseHandshakeGrace);
                        return;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            _logger.LogDebug("{Connection}: writer stopped: {Reason}", _description, e.Message);
        }
    }
}
