using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MediaEngine.Dtls;
using MediaEngine.Ice;
using MediaEngine.Srtp;

namespace WebRtcLoad;

/// <summary>
/// The client's end of one WebRTC transport, as a browser runs it: a UDP socket on 127.0.0.1, ICE
/// (controlling, USE-CANDIDATE, a consent check every 5 s), DTLS as client, then the RTP that arrives,
/// counted per SSRC by sequence number. RTP headers are not encrypted, so nothing is decrypted.
/// The socket is read by <see cref="ReceiverLoop"/>'s polling, never through epoll: on loopback the
/// sender's system call wakes whoever waits on the receiving socket, which would put the load tool's
/// wake-ups on the server's media thread (a fifth of its time at 400 consumers).
/// </summary>
internal sealed class ClientTransport : IAsyncDisposable
{
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate();
    private static readonly TimeSpan ConsentInterval = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly string _remoteUfrag;
    private readonly string _remotePassword;
    private readonly string _localUfrag = Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
    private readonly DtlsTransport _dtls;
    private readonly TaskCompletionSource _iceConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _dtlsConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<uint, RtpStreamCount> _streams = new();
    private readonly Lock _streamsGate = new();
    private readonly ReceiverLoop _receivers;
    private readonly Task _consent;
    private readonly long _createdAt = Stopwatch.GetTimestamp();
    private SrtpSession? _srtpSend;
    private TaskCompletionSource _bindingAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ClientTransport(JsonNode created, DtlsHandshakePool handshakes, ReceiverLoop receivers)
    {
        Id = created["id"]!.GetValue<string>();
        _remoteUfrag = created["iceParameters"]!["usernameFragment"]!.GetValue<string>();
        _remotePassword = created["iceParameters"]!["password"]!.GetValue<string>();
        var candidate = created["iceCandidates"]!.AsArray().First(c => c!["protocol"]!.GetValue<string>() == "udp")!;
        var sha256 = created["dtlsParameters"]!["fingerprints"]!.AsArray().First(f => f!["algorithm"]!.GetValue<string>() == "sha-256")!;
        RemoteFingerprint = new DtlsFingerprint(DtlsFingerprintAlgorithm.Sha256, sha256["value"]!.GetValue<string>());
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.Connect(new IPEndPoint(IPAddress.Parse(candidate["address"]?.GetValue<string>() ?? candidate["ip"]!.GetValue<string>()), candidate["port"]!.GetValue<int>()));
        _socket.ReceiveBufferSize = 1 << 18;
        _socket.Blocking = false;
        _dtls = new DtlsTransport(Certificate, handshakes: handshakes);
        _dtls.OutputQueued += DrainDtls;
        _receivers = receivers;
        _receivers.Add(this);
        _consent = Task.Run(KeepConsentAsync);
    }

    public string Id { get; }

    public DtlsFingerprint RemoteFingerprint { get; }

    /// <summary>What connectWebRtcTransport sends, as mediasoup-client does with its DTLS role set to client.</summary>
    public static JsonObject DtlsParameters => new()
    {
        ["role"] = "client",
        ["fingerprints"] = new JsonArray(Certificate.Fingerprints
            .Where(f => f.Algorithm == DtlsFingerprintAlgorithm.Sha256)
            .Select(f => (JsonNode)new JsonObject { ["algorithm"] = "sha-256", ["value"] = f.Value })
            .ToArray()),
    };

    /// <summary>Seconds from creating this transport to its DTLS connection; null before.</summary>
    public double? ConnectedAfter { get; private set; }

    /// <summary>Seconds from creating this transport to the first RTP packet; null before.</summary>
    public double? FirstRtpAfter { get; private set; }

    public Task IceConnected => _iceConnected.Task;

    public Task DtlsConnected => _dtlsConnected.Task;

    /// <summary>ICE first (the binding requests are repeated until answered), then the DTLS handshake.</summary>
    public async Task ConnectAsync(Func<Task> signalConnect, TimeSpan timeout)
    {
        while (!_iceConnected.Task.IsCompleted)
        {
            SendBindingRequest();
            await Task.WhenAny(_iceConnected.Task, Task.Delay(200));
        }
        await signalConnect();
        _dtls.Start(DtlsRole.Client, RemoteFingerprint);
        await _dtlsConnected.Task.WaitAsync(timeout);
    }

    /// <summary>From a binding request to a success response: the path's round trip as ICE sees it.</summary>
    public async Task<TimeSpan> MeasureRoundTripAsync()
    {
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _bindingAnswered = answered;
        var started = Stopwatch.GetTimestamp();
        SendBindingRequest();
        await answered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// Protects an RTP packet in place and sends it, as a browser's sending transport does; the
    /// buffer needs room for the SRTP tag. One thread at a time (the media sender's).
    /// </summary>
    public void SendRtp(byte[] buffer, int length)
    {
        if (_srtpSend is { } srtp && srtp.TryProtectRtp(buffer, length, out var protectedLength, out _))
            _socket.Send(buffer.AsSpan(0, protectedLength), SocketFlags.None, out _);
    }

    /// <summary>RTP packets received so far, all SSRCs.</summary>
    public long RtpPacketsReceived => Streams().Sum(s => s.Received);

    /// <summary>Per SSRC: packets received and the sequence number range they span.</summary>
    public IReadOnlyList<RtpStreamCount> Streams()
    {
        lock (_streamsGate)
            return _streams.Values.Select(s => s with { }).ToList();
    }

    private void SendBindingRequest() => _socket.Send(IceBindingRequest.Create(_remoteUfrag, _localUfrag, _remotePassword));

    private async Task KeepConsentAsync()
    {
        try
        {
            await _iceConnected.Task.WaitAsync(_stopping.Token);
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(ConsentInterval, _stopping.Token);
                SendBindingRequest();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>On the receiver loop's thread: handles what has arrived, without waiting.</summary>
    public void Poll(byte[] buffer)
    {
        try
        {
            while (true)
            {
                var length = _socket.Receive(buffer, 0, buffer.Length, SocketFlags.None, out var error);
                if (error != SocketError.Success)
                    return;
                if (length > 0)
                    Handle(buffer.AsSpan(0, length));
            }
        }
        catch (ObjectDisposedException)
        {
            // Closed while the loop still had this transport in its round.
        }
    }

    private void Handle(Span<byte> packet)
    {
        switch (packet[0])
        {
            case < 4:
                if (StunMessageReader.TryParse(packet, out var message) && message.Class == StunMessageClass.SuccessResponse)
                {
                    _iceConnected.TrySetResult();
                    _bindingAnswered.TrySetResult();
                }
                break;
            case >= 20 and < 64:
                _dtls.HandleIncoming(packet);
                break;
            case >= 128 and < 192 when packet.Length >= 12 && packet[1] is not (>= 200 and <= 204):
                CountRtp(BinaryPrimitives.ReadUInt32BigEndian(packet[8..]), BinaryPrimitives.ReadUInt16BigEndian(packet[2..]));
                break;
        }
    }

    private void CountRtp(uint ssrc, ushort sequenceNumber)
    {
        FirstRtpAfter ??= Stopwatch.GetElapsedTime(_createdAt).TotalSeconds;
        lock (_streamsGate)
        {
            if (!_streams.TryGetValue(ssrc, out var stream))
            {
                _streams[ssrc] = new RtpStreamCount(ssrc, 1, sequenceNumber, sequenceNumber);
                return;
            }
            var extended = stream.Highest + (short)(sequenceNumber - (ushort)stream.Highest);
            _streams[ssrc] = stream with
            {
                Received = stream.Received + 1,
                Highest = Math.Max(stream.Highest, extended),
                Lowest = Math.Min(stream.Lowest, extended),
            };
        }
    }

    private void DrainDtls()
    {
        while (_dtls.TryDequeueOutgoing(out var datagram))
            _socket.Send(datagram);
        while (_dtls.TryDequeueStateChange(out var state))
        {
            if (state == DtlsState.Connected)
            {
                var keys = _dtls.SrtpKeys!;
                _srtpSend = new SrtpSession(keys.CryptoSuite.ToSrtpProfile(), keys.LocalMasterKey.Span, keys.LocalMasterSalt.Span);
                ConnectedAfter = Stopwatch.GetElapsedTime(_createdAt).TotalSeconds;
                _dtlsConnected.TrySetResult();
            }
            else if (state is DtlsState.Failed or DtlsState.Closed)
                _dtlsConnected.TrySetException(new IOException($"DTLS {state.ToMediasoupName()}: {_dtls.FailureReason}"));
        }
        while (_dtls.TryDequeueApplicationData(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _dtls.Close();
        _receivers.Remove(this);
        _srtpSend?.Dispose();
        await _stopping.CancelAsync();
        await _consent;
        _socket.Dispose();
    }
}

/// <summary>RTP packets of one SSRC: how many arrived, and the extended sequence numbers they span.</summary>
internal sealed record RtpStreamCount(uint Ssrc, long Received, long Lowest, long Highest)
{
    public long Expected => Highest - Lowest + 1;
}
