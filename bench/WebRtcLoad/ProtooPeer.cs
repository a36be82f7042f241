using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace WebRtcLoad;

/// <summary>
/// A protoo peer as mediasoup-client's app runs one: requests with ids and their responses, and the
/// server's requests (newConsumer, newDataConsumer) accepted at once.
/// </summary>
internal sealed class ProtooPeer : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Task _reader;
    private int _nextId;

    private ProtooPeer(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadAsync);
    }

    public static async Task<ProtooPeer> ConnectAsync(Uri server, string roomId, string peerId)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("protoo");
        // The server's self-signed certificate on loopback.
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        var url = new UriBuilder(server) { Scheme = "wss", Path = "/", Query = $"roomId={Uri.EscapeDataString(roomId)}&peerId={Uri.EscapeDataString(peerId)}" }.Uri;
        await socket.ConnectAsync(url, CancellationToken.None);
        return new ProtooPeer(socket);
    }

    /// <summary>Sends a request and returns its response's data; throws on an error response.</summary>
    public async Task<JsonNode?> RequestAsync(string method, JsonObject? data = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var response = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = response;
        await SendAsync(new JsonObject { ["request"] = true, ["id"] = id, ["method"] = method, ["data"] = data ?? new JsonObject() });
        return await response.Task.WaitAsync(RequestTimeout);
    }

    private async Task SendAsync(JsonObject message)
    {
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                    break;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                    continue;
                var node = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                await HandleAsync(node);
            }
        }
        catch (WebSocketException)
        {
        }
        foreach (var pending in _pending.Values)
            pending.TrySetException(new IOException("The protoo connection closed."));
    }

    private async Task HandleAsync(JsonObject message)
    {
        if (message["response"] is not null)
        {
            if (!_pending.TryRemove(message["id"]!.GetValue<int>(), out var pending))
                return;
            if (message["ok"]!.GetValue<bool>())
                pending.TrySetResult(message["data"]);
            else
                pending.TrySetException(new InvalidOperationException($"{message["errorCode"]}: {message["errorReason"]}"));
            return;
        }
        if (message["request"] is null)
            return;
        await SendAsync(new JsonObject { ["response"] = true, ["id"] = message["id"]!.DeepClone(), ["ok"] = true, ["data"] = new JsonObject() });
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException)
        {
        }
        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _socket.Dispose();
    }
}
