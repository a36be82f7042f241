using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Host.Tests;

/// <summary>A protoo peer over a real ClientWebSocket, like protoo-client.</summary>
public sealed class ProtooTestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonObject> _received = Channel.CreateUnbounded<JsonObject>();
    private readonly List<JsonObject> _unclaimed = new();
    private readonly Task _reader;
    private int _nextId = 1;

    private ProtooTestClient(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadLoopAsync);
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public Task Closed => _reader;

    public static ClientWebSocket CreateSocket(params string[] subProtocols)
    {
        var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var protocol in subProtocols)
            socket.Options.AddSubProtocol(protocol);
        return socket;
    }

    public static Task<ProtooTestClient> ConnectAsync(TestServer server, string roomId, string peerId) =>
        ConnectAsync(server.HttpsUri, roomId, peerId);

    public static Task<ProtooTestClient> ConnectAsync(Uri server, string roomId, string peerId) =>
        ConnectUrlAsync(new Uri($"wss://{server.Authority}/?roomId={Uri.EscapeDataString(roomId)}&peerId={Uri.EscapeDataString(peerId)}"));

    /// <summary>Connects to the protoo URL as it is (with a token, say).</summary>
    public static async Task<ProtooTestClient> ConnectUrlAsync(Uri url)
    {
        var socket = CreateSocket("protoo");
        await socket.ConnectAsync(url, CancellationToken.None);
        Assert.Equal("protoo", socket.SubProtocol);
        return new ProtooTestClient(socket);
    }

    /// <summary>Connects and joins with the given display name; returns the join response data.</summary>
    public static async Task<(ProtooTestClient Client, JsonNode Peers)> JoinAsync(TestServer server, string roomId, string peerId, string displayName)
    {
        var client = await ConnectAsync(server, roomId, peerId);
        var response = await client.RequestOkAsync("join", new JsonObject
        {
            ["displayName"] = displayName,
            ["device"] = new JsonObject { ["flag"] = "chrome", ["name"] = "Chrome", ["version"] = "156" },
        });
        return (client, response!["peers"]!);
    }

    public async Task SendRawAsync(string text) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Sends a request and returns the whole response object.</summary>
    public async Task<JsonObject> RequestAsync(string method, JsonNode? data = null)
    {
        var id = _nextId++;
        var request = new JsonObject { ["request"] = true, ["id"] = id, ["method"] = method, ["data"] = data ?? new JsonObject() };
        await SendRawAsync(request.ToJsonString());
        return await NextAsync(m => m["response"]?.GetValue<bool>() == true && m["id"]?.GetValue<int>() == id, $"response to {method}");
    }

    public async Task<JsonNode?> RequestOkAsync(string method, JsonObject? data = null)
    {
        var response = await RequestAsync(method, data);
        Assert.True(response["ok"]?.GetValue<bool>() == true, $"{method} failed: {response.ToJsonString()}");
        return response["data"];
    }

    /// <summary>Answers the server's next newConsumer request as mediasoup-client does; returns its data.</summary>
    public async Task<JsonNode> AcceptNewConsumerAsync()
    {
        var request = await NextAsync(m => m["request"]?.GetValue<bool>() == true && m["method"]?.GetValue<string>() == "newConsumer", "newConsumer");
        await SendRawAsync(new JsonObject { ["response"] = true, ["id"] = request["id"]!.GetValue<long>(), ["ok"] = true, ["data"] = new JsonObject() }.ToJsonString());
        return request["data"]!;
    }

    public Task<JsonObject> NotificationAsync(string method) =>
        NextAsync(m => m["notification"]?.GetValue<bool>() == true && m["method"]?.GetValue<string>() == method, $"notification {method}");

    /// <summary>Waits for the first message matching; messages skipped meanwhile stay available.</summary>
    public async Task<JsonObject> NextAsync(Func<JsonObject, bool> match, string what)
    {
        var index = _unclaimed.FindIndex(m => match(m));
        if (index >= 0)
        {
            var found = _unclaimed[index];
            _unclaimed.RemoveAt(index);
            return found;
        }
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            while (true)
            {
                var message = await _received.Reader.ReadAsync(timeout.Token);
                if (match(message))
                    return message;
                _unclaimed.Add(message);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"no {what}; received meanwhile: {string.Join(", ", _unclaimed.Select(m => m.ToJsonString()))}");
        }
    }

    /// <summary>True if nothing matching arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> NothingArrivesAsync(Func<JsonObject, bool> match, TimeSpan wait)
    {
        try
        {
            using var cts = new CancellationTokenSource(wait);
            while (true)
            {
                var message = await _received.Reader.ReadAsync(cts.Token);
                if (match(message))
                    return false;
                _unclaimed.Add(message);
            }
        }
        catch (OperationCanceledException)
        {
            return !_unclaimed.Any(match);
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                    continue;
                var node = JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()));
                message.SetLength(0);
                if (node is JsonObject obj)
                    _received.Writer.TryWrite(obj);
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        await _reader;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync();
        }
        catch (WebSocketException)
        {
        }
        _socket.Dispose();
    }
}
