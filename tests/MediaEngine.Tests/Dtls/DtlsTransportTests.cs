using System.Text;
using MediaEngine.Dtls;
using static MediaEngine.Tests.Dtls.DtlsTestSupport;

namespace MediaEngine.Tests.Dtls;

public sealed class DtlsTransportTests : IDisposable
{
    private readonly DtlsHandshakePool _handshakes = new(maxThreads: 4, idleTimeout: TimeSpan.FromMilliseconds(200));
    private readonly DtlsTransport _client;
    private readonly DtlsTransport _server;
    private readonly DtlsWire _wire;

    public DtlsTransportTests()
    {
        _client = new DtlsTransport(ClientCertificate, FastOptions, _handshakes);
        _server = new DtlsTransport(ServerCertificate, FastOptions, _handshakes);
        _wire = new DtlsWire(_client, _server);
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    [Fact]
    public void BackToBack_BothSidesConnect()
    {
        StartBoth();

        WaitForState(_client, DtlsState.Connected);
        WaitForState(_server, DtlsState.Connected);
        Assert.Equal([DtlsState.Connecting, DtlsState.Connected], DrainStateChanges(_client));
        Assert.Equal([DtlsState.Connecting, DtlsState.Connected], DrainStateChanges(_server));
        Assert.Equal(DtlsRole.Client, _client.LocalRole);
        Assert.Equal(DtlsRole.Server, _server.LocalRole);
        Assert.Null(_client.FailureReason);
        Assert.Null(_server.FailureReason);
    }

    [Fact]
    public void BackToBack_AgreeOnTheMostPreferredSrtpSuiteAndMirroredKeys()
    {
        ConnectBoth();

        SrtpKeyingMaterial client = _client.SrtpKeys!;
        SrtpKeyingMaterial server = _server.SrtpKeys!;
        Assert.Equal(SrtpCryptoSuite.AeadAes256Gcm, client.CryptoSuite);
        Assert.Equal(SrtpCryptoSuite.AeadAes256Gcm, server.CryptoSuite);
        Assert.Equal(client.LocalMasterKey.ToArray(), server.RemoteMasterKey.ToArray());
        Assert.Equal(client.LocalMasterSalt.ToArray(), server.RemoteMasterSalt.ToArray());
        Assert.Equal(client.RemoteMasterKey.ToArray(), server.LocalMasterKey.ToArray());
        Assert.Equal(client.RemoteMasterSalt.ToArray(), server.LocalMasterSalt.ToArray());
        Assert.Equal(32, client.LocalMasterKey.Length);
        Assert.Equal(12, client.LocalMasterSalt.Length);
        Assert.NotEqual(client.LocalMasterKey.ToArray(), client.RemoteMasterKey.ToArray());
    }

    [Fact]
    public void Connected_ApplicationDataFlowsBothWays()
    {
        ConnectBoth();

        Assert.True(_client.Send("from client"u8));
        Assert.True(_server.Send("from server"u8));
        Assert.True(_server.Send(new byte[1200]));

        Assert.Equal(["from client"], ReceiveText(_server, 1));
        List<byte[]> atClient = Receive(_client, 2);
        Assert.Contains(atClient, data => Encoding.UTF8.GetString(data) == "from server");
        Assert.Contains(atClient, data => data.Length == 1200);
    }

    [Fact]
    public void BeforeConnecting_SendReturnsFalse()
    {
        Assert.False(_client.Send("early"u8));
        _client.Start(DtlsRole.Client, Sha256Of(ServerCertificate));
        Assert.False(_client.Send("early"u8));
    }

    [Fact]
    public void Send_RejectsEmptyAndOversizedData()
    {
        ConnectBoth();

        Assert.Throws<ArgumentException>(() => _client.Send([]));
        Assert.Throws<ArgumentException>(() => _client.Send(new byte[FastOptions.Mtu]));
        Assert.Equal(DtlsState.Connected, _client.State);
    }

    [Fact]
    public void ServerExpectingAnotherFingerprint_Fails()
    {
        _server.Start(DtlsRole.Server, Sha256Of(ServerCertificate));
        _client.Start(DtlsRole.Client, Sha256Of(ServerCertificate));

        WaitForState(_server, DtlsState.Failed);
        Assert.Contains("fingerprint", _server.FailureReason);
        Assert.Null(_server.SrtpKeys);
        WaitForState(_client, DtlsState.Failed);
        Assert.Null(_client.SrtpKeys);
    }

    [Fact]
    public void ClientExpectingAnotherFingerprint_Fails()
    {
        _server.Start(DtlsRole.Server, Sha256Of(ClientCertificate));
        _client.Start(DtlsRole.Client, Sha256Of(ClientCertificate));

        WaitForState(_client, DtlsState.Failed);
        Assert.Contains("fingerprint", _client.FailureReason);
        WaitForState(_server, DtlsState.Failed);
    }

    [Theory]
    [InlineData(DtlsFingerprintAlgorithm.Sha1)]
    [InlineData(DtlsFingerprintAlgorithm.Sha224)]
    [InlineData(DtlsFingerprintAlgorithm.Sha384)]
    [InlineData(DtlsFingerprintAlgorithm.Sha512)]
    public void FingerprintsWithOtherAlgorithms_AreVerifiedToo(DtlsFingerprintAlgorithm algorithm)
    {
        _server.Start(DtlsRole.Server, ClientCertificate.Fingerprints.Single(f => f.Algorithm == algorithm));
        _client.Start(DtlsRole.Client, ServerCertificate.Fingerprints.Single(f => f.Algorithm == algorithm));

        WaitForState(_client, DtlsState.Connected);
        WaitForState(_server, DtlsState.Connected);
    }

    [Fact]
    public void LowerCaseFingerprint_IsAccepted()
    {
        DtlsFingerprint expected = Sha256Of(ServerCertificate);
        _server.Start(DtlsRole.Server, Sha256Of(ClientCertificate));
        _client.Start(DtlsRole.Client, expected with { Value = expected.Value.ToLowerInvariant() });

        WaitForState(_client, DtlsState.Connected);
    }

    [Fact]
    public void LostHandshakeDatagrams_AreRetransmitted()
    {
        _wire.Filter = (_, _, index) => index is not (0 or 2);

        ConnectBoth();
    }

    [Fact]
    public void ClientWithoutAnswer_FailsAfterTheHandshakeTimeout()
    {
        using var client = new DtlsTransport(ClientCertificate, FastOptions with { HandshakeTimeout = TimeSpan.FromMilliseconds(400) }, _handshakes);
        var started = DateTime.UtcNow;
        client.Start(DtlsRole.Client, Sha256Of(ServerCertificate));

        WaitForState(client, DtlsState.Failed);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(3));
        Assert.Contains("timed out", client.FailureReason, StringComparison.OrdinalIgnoreCase);
        Assert.True(client.TryDequeueOutgoing(out _), "The client should have sent its ClientHello.");
    }

    [Fact]
    public void ServerNeverHearingFromTheClient_FailsAfterTheHandshakeTimeout()
    {
        using var server = new DtlsTransport(ServerCertificate, FastOptions with { HandshakeTimeout = TimeSpan.FromMilliseconds(300) }, _handshakes);
        server.Start(DtlsRole.Server, Sha256Of(ClientCertificate));

        WaitForState(server, DtlsState.Failed);
        Assert.False(server.TryDequeueOutgoing(out _));
    }

    [Fact]
    public void Garbage_IsCountedAndIgnored_BeforeAndDuringTheHandshake()
    {
        _server.HandleIncoming([22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
        Assert.Equal(1, _server.DiscardedDatagramCount);

        var random = new Random(7);
        _wire.Filter = (_, towardsServer, _) =>
        {
            DtlsTransport target = towardsServer ? _server : _client;
            target.HandleIncoming(RandomDtlsLookingDatagram(random));
            target.HandleIncoming([0, 1, 0, 0, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
            target.HandleIncoming([128, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xDE, 0xAD]);
            target.HandleIncoming([23, 254]);
            target.HandleIncoming(new byte[DtlsTransport.MaxIncomingDatagramLength + 1]);
            return true;
        };

        ConnectBoth();

        Assert.True(_server.DiscardedDatagramCount >= 5, $"Discarded {_server.DiscardedDatagramCount}.");
        Assert.True(_client.DiscardedDatagramCount >= 4, $"Discarded {_client.DiscardedDatagramCount}.");
    }

    [Fact]
    public void Garbage_AfterConnecting_DoesNotDisturbTheConnection()
    {
        ConnectBoth();
        var random = new Random(11);

        for (int i = 0; i < 50; i++)
        {
            _server.HandleIncoming(RandomDtlsLookingDatagram(random));
            _server.HandleIncoming(EncryptedRecord(sequenceNumber: i, fragmentLength: 3, random));
            _server.HandleIncoming(EncryptedRecord(sequenceNumber: i, fragmentLength: 40, random));
        }

        Assert.True(_client.Send("still there"u8));
        Assert.Equal(["still there"], ReceiveText(_server, 1));
        Assert.Equal(DtlsState.Connected, _server.State);
        Assert.InRange(_server.DiscardedDatagramCount, 50, 100);
        Assert.InRange(_server.RejectedRecordCount, 50, 100);
    }

    [Fact]
    public void RecordWithABadMac_AfterConnecting_IsDroppedAndCounted_NotAnAlert()
    {
        ConnectBoth();
        byte[] record = CaptureNextRecordTowardsTheServer(() => _client.Send("genuine"u8));
        byte[] tampered = record.ToArray();
        tampered[^1] ^= 0x01;

        _server.HandleIncoming(tampered);

        Assert.Equal(1, _server.RejectedRecordCount);
        Assert.Equal(DtlsState.Connected, _server.State);
        Assert.False(_server.TryDequeueApplicationData(out _));
        Assert.False(_server.TryDequeueOutgoing(out _));
        _server.HandleIncoming(record);
        Assert.Equal(["genuine"], ReceiveText(_server, 1));
    }

    [Fact]
    public void ReplayedRecord_IsDroppedAndCounted()
    {
        ConnectBoth();
        byte[] record = CaptureNextRecordTowardsTheServer(() => _client.Send("once"u8));
        _server.HandleIncoming(record);
        Assert.Equal(["once"], ReceiveText(_server, 1));

        _server.HandleIncoming(record);

        Assert.False(_server.TryDequeueApplicationData(out _));
        Assert.Equal(1, _server.RejectedRecordCount);
    }

    [Fact]
    public void ApplicationRecords_FollowTheHandshakesSequenceNumbers()
    {
        // The client's Finished is its first epoch-1 record, and a retransmitted flight takes the next numbers.
        long handshakeNewest = -1;
        _wire.Filter = (datagram, towardsServer, _) =>
        {
            if (towardsServer)
            {
                for (var rest = datagram.AsSpan(); rest.Length >= DtlsRecordFraming.RecordHeaderLength; rest = rest[DtlsRecordFraming.LengthOf(rest)..])
                {
                    if (DtlsRecordFraming.EpochOf(rest) == DtlsRecordProtection.Epoch)
                        handshakeNewest = Math.Max(handshakeNewest, DtlsRecordFraming.SequenceNumberOf(rest));
                }
            }

            return true;
        };
        ConnectBoth();
        byte[] record = CaptureNextRecordTowardsTheServer(() => _client.Send("first"u8));

        Assert.True(handshakeNewest >= 0);
        Assert.Equal(DtlsRecordProtection.Epoch, DtlsRecordFraming.EpochOf(record));
        Assert.Equal(handshakeNewest + 1, DtlsRecordFraming.SequenceNumberOf(record));
    }

    [Fact]
    public void LostFinalFlightOfTheServer_IsSentAgainWhenTheClientRetransmits()
    {
        bool dropped = false;
        _wire.Filter = (datagram, towardsServer, _) =>
        {
            // The server's ChangeCipherSpec opens its last flight.
            if (towardsServer || dropped || datagram[0] != 20)
            {
                return true;
            }

            dropped = true;
            return false;
        };

        ConnectBoth();

        Assert.True(dropped);
        Assert.True(_client.Send("after the retransmission"u8));
        Assert.Equal(["after the retransmission"], ReceiveText(_server, 1));
    }

    [Fact]
    public void Connected_HoldsNoThread()
    {
        ConnectBoth();

        WaitFor(() => _handshakes.Threads == 0, "the handshake threads to end");
        Assert.True(_client.Send("no thread needed"u8));
        Assert.True(_server.Send("either way"u8));
        Assert.Equal(["no thread needed"], ReceiveText(_server, 1));
        Assert.Equal(["either way"], ReceiveText(_client, 1));
        Assert.Equal(0, _handshakes.Threads);
    }

    [Fact]
    public void Close_SendsCloseNotify_AndBothSidesEndClosed()
    {
        ConnectBoth();
        DrainStateChanges(_client);
        DrainStateChanges(_server);

        _client.Close();

        Assert.Equal(DtlsState.Closed, _client.State);
        WaitForState(_server, DtlsState.Closed);
        Assert.Equal([DtlsState.Closed], DrainStateChanges(_client));
        Assert.Equal([DtlsState.Closed], DrainStateChanges(_server));
        Assert.False(_client.Send("late"u8));
        Assert.False(_server.Send("late"u8));
    }

    [Fact]
    public void Close_IsIdempotent_AndFinal()
    {
        _client.Close();
        _client.Close();

        Assert.Equal([DtlsState.Closed], DrainStateChanges(_client));
        Assert.Throws<InvalidOperationException>(() => _client.Start(DtlsRole.Client, Sha256Of(ServerCertificate)));
    }

    [Fact]
    public void Dispose_InTheMiddleOfTheHandshake_FreesItsThread()
    {
        var handshakes = new DtlsHandshakePool(maxThreads: 1);
        var server = new DtlsTransport(ServerCertificate, FastOptions with { HandshakeTimeout = TimeSpan.FromMinutes(1) }, handshakes);
        server.Start(DtlsRole.Server, Sha256Of(ClientCertificate));
        WaitFor(() => handshakes.Threads == 1, "the handshake to start");

        server.Dispose();

        Assert.Equal(DtlsState.Closed, server.State);
        using var next = new ManualResetEventSlim();
        handshakes.Run(next.Set);
        Assert.True(next.Wait(TimeSpan.FromSeconds(5)), "The pool's only thread should be free again.");
    }

    [Fact]
    public void HandshakePool_AddsThreadsUpToItsBound_AndQueuesTheRest()
    {
        var handshakes = new DtlsHandshakePool(maxThreads: 2, idleTimeout: TimeSpan.FromMilliseconds(100));
        using var release = new ManualResetEventSlim();
        int ran = 0;
        for (int i = 0; i < 5; i++)
        {
            handshakes.Run(() =>
            {
                release.Wait();
                Interlocked.Increment(ref ran);
            });
        }

        Assert.Equal(2, handshakes.Threads);
        release.Set();
        WaitFor(() => Volatile.Read(ref ran) == 5, "the queued handshakes");
        WaitFor(() => handshakes.Threads == 0, "the idle threads to end");
    }

    [Fact]
    public void Start_RequiresClientOrServerRole_AndOnlyOnce()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _client.Start(DtlsRole.Auto, Sha256Of(ServerCertificate)));
        Assert.Equal(DtlsState.New, _client.State);

        _client.Start(DtlsRole.Client, Sha256Of(ServerCertificate));

        Assert.Throws<InvalidOperationException>(() => _client.Start(DtlsRole.Client, Sha256Of(ServerCertificate)));
    }

    /// <summary>What <paramref name="send"/> makes the client send, kept from the server.</summary>
    private byte[] CaptureNextRecordTowardsTheServer(Action send)
    {
        byte[]? captured = null;
        _wire.Filter = (datagram, towardsServer, _) =>
        {
            if (!towardsServer || captured is not null)
            {
                return true;
            }

            captured = datagram;
            return false;
        };
        send();
        WaitFor(() => captured is not null, "the client's record");
        _wire.Filter = (_, _, _) => true;
        return captured!;
    }

    private static byte[] RandomDtlsLookingDatagram(Random random)
    {
        var datagram = new byte[random.Next(13, 200)];
        random.NextBytes(datagram);
        datagram[0] = (byte)random.Next(20, 64);
        return datagram;
    }

    /// <summary>An application_data record in epoch 1 whose content is random.</summary>
    private static byte[] EncryptedRecord(int sequenceNumber, int fragmentLength, Random random)
    {
        var record = new byte[13 + fragmentLength];
        random.NextBytes(record);
        byte[] header = [23, 254, 253, 0, 1, 0, 0, 0, 0, 0, (byte)sequenceNumber, 0, (byte)fragmentLength];
        header.CopyTo(record, 0);
        return record;
    }

    private static List<byte[]> Receive(DtlsTransport transport, int count)
    {
        var received = new List<byte[]>();
        WaitFor(
            () =>
            {
                while (transport.TryDequeueApplicationData(out byte[]? data))
                {
                    received.Add(data);
                }

                return received.Count >= count;
            },
            $"{count} application datagrams");
        return received;
    }

    private static List<string> ReceiveText(DtlsTransport transport, int count) =>
        Receive(transport, count).Select(data => Encoding.UTF8.GetString(data)).ToList();

    private void StartBoth()
    {
        _server.Start(DtlsRole.Server, Sha256Of(ClientCertificate));
        _client.Start(DtlsRole.Client, Sha256Of(ServerCertificate));
    }

    private void ConnectBoth()
    {
        StartBoth();
        WaitForState(_client, DtlsState.Connected);
        WaitForState(_server, DtlsState.Connected);
    }
}
