using System.Net;
using System.Text;
using MediaEngine.Ice;

namespace MediaEngine.Tests.Ice;

public class IceLiteServerTests
{
    private const string LocalUfrag = "srvU";
    private const string LocalPassword = "server-password-0123456789";
    private const string RemoteUfrag = "peer";
    private static readonly TimeSpan ConsentTimeout = TimeSpan.FromSeconds(20);
    private const uint UdpCandidatePriority = 1076302079;
    private const uint TcpCandidatePriority = 1076276479;
    private static readonly IPEndPoint PeerV4 = new(IPAddress.Parse("192.0.2.10"), 50_000);
    private static readonly IPEndPoint PeerV6 = new(IPAddress.Parse("2001:db8::10"), 50_002);

    private readonly IceLiteServer _server = new(LocalUfrag, LocalPassword, ConsentTimeout);
    private readonly byte[] _response = new byte[IceLiteServer.MaxResponseLength];

    [Fact]
    public void ValidRequest_IsAnsweredWithAnAuthenticatedSuccessResponse()
    {
        byte[] request = new BindingRequest().Build();

        IceBindingResult result = Handle(request, PeerV6, Seconds(0));

        Assert.Equal(IceBindingOutcome.Accepted, result.Outcome);
        Assert.True(StunMessageReader.TryParse(_response.AsSpan(0, result.ResponseLength), out StunMessageReader response));
        Assert.Equal(StunMessageClass.SuccessResponse, response.Class);
        Assert.Equal(StunMethod.Binding, response.Method);
        Assert.Equal(request[8..20], response.TransactionId.ToArray());
        Assert.True(response.TryGetXorMappedAddress(out IPEndPoint? mapped));
        Assert.Equal(PeerV6, mapped);
        Assert.True(response.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(LocalPassword)));
        Assert.True(response.VerifyFingerprint());
    }

    [Fact]
    public void FirstCheckWithoutNomination_Connects()
    {
        Handle(new BindingRequest().Build(), PeerV4, Seconds(0));

        Assert.Equal(IceState.Connected, _server.State);
        Assert.Equal(PeerV4, _server.SelectedTuple);
        Assert.True(_server.IsValidTuple(PeerV4));
        Assert.Equal(
            [
                new IceServerEvent(IceServerEventKind.TupleAdded, IceState.New, PeerV4),
                new IceServerEvent(IceServerEventKind.SelectedTupleChanged, IceState.New, PeerV4),
                new IceServerEvent(IceServerEventKind.StateChanged, IceState.Connected, null),
            ],
            DrainEvents());
    }

    [Fact]
    public void FirstCheckWithUseCandidate_Completes()
    {
        Handle(new BindingRequest { UseCandidate = true }.Build(), PeerV4, Seconds(0));

        Assert.Equal(IceState.Completed, _server.State);
        Assert.Equal(PeerV4, _server.SelectedTuple);
    }

    [Fact]
    public void NominationOfAnotherTupleWhileConnected_SelectsItAndCompletes()
    {
        Handle(new BindingRequest().Build(), PeerV4, Seconds(0));
        DrainEvents();

        Handle(new BindingRequest { UseCandidate = true }.Build(), PeerV6, Seconds(1));

        Assert.Equal(IceState.Completed, _server.State);
        Assert.Equal(PeerV6, _server.SelectedTuple);
        Assert.Equal([PeerV6, PeerV4], _server.Tuples);
        Assert.Equal(
            [
                new IceServerEvent(IceServerEventKind.TupleAdded, IceState.Connected, PeerV6),
                new IceServerEvent(IceServerEventKind.SelectedTupleChanged, IceState.Connected, PeerV6),
                new IceServerEvent(IceServerEventKind.StateChanged, IceState.Completed, null),
            ],
            DrainEvents());
    }

    [Fact]
    public void UnnominatedCheckFromANewTuple_IsLearnedWithoutChangingTheSelection()
    {
        Handle(new BindingRequest { UseCandidate = true }.Build(), PeerV4, Seconds(0));
        DrainEvents();

        Handle(new BindingRequest().Build(), PeerV6, Seconds(1));

        Assert.Equal(IceState.Completed, _server.State);
        Assert.Equal(PeerV4, _server.SelectedTuple);
        Assert.True(_server.IsValidTuple(PeerV6));
        Assert.Equal([new IceServerEvent(IceServerEventKind.TupleAdded, IceState.Completed, PeerV6)], DrainEvents());
    }

    [Fact]
    public void RenominationWhileCompleted_SwitchesTheSelectedTuple()
    {
        Handle(new BindingRequest { UseCandidate = true }.Build(), PeerV4, Seconds(0));
        Handle(new BindingRequest().Build(), PeerV6, Seconds(1));
        DrainEvents();

        Handle(new BindingRequest { UseCandidate = true }.Build(), PeerV6, Seconds(2));

        Assert.Equal(PeerV6, _server.SelectedTuple);
        Assert.Equal([new IceServerEvent(IceServerEventKind.SelectedTupleChanged, IceState.Completed, PeerV6)], DrainEvents());
    }

    // Firefox's host candidates as it reports them: UDP, and an active TCP one of lower priority.
    private const uint FirefoxUdpHost = 2122252543;
    private const uint FirefoxTcpHost = 2105524479;
    private static readonly IPEndPoint FirefoxTcp = new(IPAddress.Parse("192.0.2.10"), 50_010);

    [Fact]
    public void A_lower_priority_pair_nominated_after_a_live_higher_one_does_not_take_the_selection()
    {
        // Firefox with a lite peer nominates every pair that succeeds, and uses the best one (UDP).
        Handle(new BindingRequest { UseCandidate = true, Priority = FirefoxUdpHost }.Build(), PeerV4, Seconds(0));
        DrainEvents();

        Handle(new BindingRequest { UseCandidate = true, Priority = FirefoxTcpHost }.Build(), FirefoxTcp, Seconds(0.05), TcpCandidatePriority);
        Handle(new BindingRequest { Priority = FirefoxUdpHost }.Build(), PeerV4, Seconds(5));
        Handle(new BindingRequest { UseCandidate = true, Priority = FirefoxTcpHost }.Build(), FirefoxTcp, Seconds(6), TcpCandidatePriority);

        Assert.Equal(PeerV4, _server.SelectedTuple);
        Assert.Equal([new IceServerEvent(IceServerEventKind.TupleAdded, IceState.Completed, FirefoxTcp)], DrainEvents());
    }

    [Fact]
    public void A_higher_priority_pair_nominated_after_a_lower_one_takes_the_selection()
    {
        Handle(new BindingRequest { UseCandidate = true, Priority = FirefoxTcpHost }.Build(), FirefoxTcp, Seconds(0), TcpCandidatePriority);
        DrainEvents();

        Handle(new BindingRequest { UseCandidate = true, Priority = FirefoxUdpHost }.Build(), PeerV4, Seconds(0.05));

        Assert.Equal(PeerV4, _server.SelectedTuple);
    }

    [Fact]
    public void When_the_selected_pair_falls_silent_the_next_check_on_another_nominated_pair_takes_the_selection()
    {
        Handle(new BindingRequest { UseCandidate = true, Priority = FirefoxUdpHost }.Build(), PeerV4, Seconds(0));
        Handle(new BindingRequest { UseCandidate = true, Priority = FirefoxTcpHost }.Build(), FirefoxTcp, Seconds(0.05), TcpCandidatePriority);
        Handle(new BindingRequest { Priority = FirefoxTcpHost }.Build(), FirefoxTcp, Seconds(5), TcpCandidatePriority);
        Assert.Equal(PeerV4, _server.SelectedTuple);
        DrainEvents();

        // Nothing from UDP for longer than NominationLiveness: a plain consent check on TCP moves the selection.
        Handle(new BindingRequest { Priority = FirefoxTcpHost }.Build(), FirefoxTcp, Seconds(0) + IceLiteServer.NominationLiveness + Seconds(0.5), TcpCandidatePriority);

        Assert.Equal(FirefoxTcp, _server.SelectedTuple);
        Assert.Equal([new IceServerEvent(IceServerEventKind.SelectedTupleChanged, IceState.Completed, FirefoxTcp)], DrainEvents());
    }

    [Fact]
    public void Losing_the_selected_tuple_falls_back_to_the_best_live_nominated_one()
    {
        var unnominated = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 50_020);
        Handle(new BindingRequest { UseCandidate = true, Priority = FirefoxTcpHost }.Build(), FirefoxTcp, Seconds(0), TcpCandidatePriority);
        Handle(new BindingRequest { UseCandidate = true, Priority = FirefoxUdpHost }.Build(), PeerV4, Seconds(0.1));
        Handle(new BindingRequest { Priority = FirefoxUdpHost }.Build(), unnominated, Seconds(0.2));

        _server.RemoveTuple(PeerV4, Seconds(1));

        Assert.Equal(FirefoxTcp, _server.SelectedTuple);
    }

    [Fact]
    public void Pair_priority_follows_rfc_8445()
    {
        // G = 2122252543 (controlling), D = 1076302079: 2^32·D + 2·G + 1.
        Assert.Equal((1UL << 32) * 1076302079UL + 2UL * 2122252543UL + 1UL, IceLiteServer.PairPriority(2122252543, 1076302079));
        Assert.Equal((1UL << 32) * 5UL + 2UL * 7UL, IceLiteServer.PairPriority(5, 7));
        Assert.True(IceLiteServer.PairPriority(FirefoxUdpHost, UdpCandidatePriority) > IceLiteServer.PairPriority(FirefoxTcpHost, TcpCandidatePriority));
    }

    [Fact]
    public void RepeatedChecks_ProduceNoEvents()
    {
        Handle(new BindingRequest { UseCandidate = true }.Build(), PeerV4, Seconds(0));
        DrainEvents();

        Handle(new BindingRequest { UseCandidate = true }.Build(), PeerV4, Seconds(1));
        Handle(new BindingRequest().Build(), PeerV4, Seconds(2));

        Assert.Empty(DrainEvents());
    }

    [Fact]
    public void WrongPassword_IsAnsweredWithUnauthenticated401()
    {
        IceBindingResult result = Handle(new BindingRequest { Password = "not-the-password" }.Build(), PeerV4, Seconds(0));

        AssertErrorResponse(result, IceBindingOutcome.Unauthorized, 401, authenticated: false);
        Assert.Equal(IceState.New, _server.State);
        Assert.Empty(_server.Tuples);
        Assert.Empty(DrainEvents());
    }

    [Theory]
    [InlineData("other:peer")]
    [InlineData("srvU")]
    [InlineData("srvU:")]
    [InlineData("srvUx:peer")]
    [InlineData("peer:srvU")]
    public void UsernameNotAddressedToUs_IsAnsweredWith401(string username)
    {
        IceBindingResult result = Handle(new BindingRequest { Username = username }.Build(), PeerV4, Seconds(0));

        AssertErrorResponse(result, IceBindingOutcome.Unauthorized, 401, authenticated: false);
    }

    [Fact]
    public void MissingFingerprint_IsAnsweredWith400()
    {
        IceBindingResult result = Handle(new BindingRequest { Fingerprint = false }.Build(), PeerV4, Seconds(0));

        AssertErrorResponse(result, IceBindingOutcome.BadRequest, 400, authenticated: false);
    }

    [Fact]
    public void MissingMessageIntegrity_IsAnsweredWith400()
    {
        IceBindingResult result = Handle(new BindingRequest { Integrity = false }.Build(), PeerV4, Seconds(0));

        AssertErrorResponse(result, IceBindingOutcome.BadRequest, 400, authenticated: false);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0u)]
    public void MissingOrZeroPriority_IsAnsweredWith400(uint? priority)
    {
        IceBindingResult result = Handle(new BindingRequest { Priority = priority }.Build(), PeerV4, Seconds(0));

        AssertErrorResponse(result, IceBindingOutcome.BadRequest, 400, authenticated: false);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void MissingOrEmptyUsername_IsAnsweredWith400(string? username)
    {
        IceBindingResult result = Handle(new BindingRequest { Username = username }.Build(), PeerV4, Seconds(0));

        AssertErrorResponse(result, IceBindingOutcome.BadRequest, 400, authenticated: false);
    }

    [Fact]
    public void RequestForAnotherMethod_IsAnsweredWith400()
    {
        IceBindingResult result = Handle(new BindingRequest { Method = (StunMethod)0x003 }.Build(), PeerV4, Seconds(0));

        AssertErrorResponse(result, IceBindingOutcome.BadRequest, 400, authenticated: false);
    }

    [Fact]
    public void PeerClaimingTheControlledRole_IsAnsweredWith487()
    {
        IceBindingResult result = Handle(new BindingRequest { Controlled = true }.Build(), PeerV6, Seconds(0));

        AssertErrorResponse(result, IceBindingOutcome.RoleConflict, 487, authenticated: true);
        Assert.Equal(IceState.New, _server.State);
        Assert.Empty(_server.Tuples);
    }

    [Fact]
    public void CorruptFingerprint_IsIgnoredSilently()
    {
        byte[] request = new BindingRequest().Build();
        request[^1] ^= 0xFF;

        IceBindingResult result = Handle(request, PeerV4, Seconds(0));

        Assert.Equal(new IceBindingResult(IceBindingOutcome.Ignored, 0), result);
    }

    [Theory]
    [InlineData(StunMessageClass.Indication)]
    [InlineData(StunMessageClass.SuccessResponse)]
    [InlineData(StunMessageClass.ErrorResponse)]
    public void NonRequests_AreIgnored(StunMessageClass messageClass)
    {
        IceBindingResult result = Handle(new BindingRequest { Class = messageClass }.Build(), PeerV4, Seconds(0));

        Assert.Equal(new IceBindingResult(IceBindingOutcome.Ignored, 0), result);
        Assert.Equal(IceState.New, _server.State);
    }

    [Fact]
    public void MalformedDatagram_IsIgnored()
    {
        IceBindingResult result = Handle(new byte[] { 0x00, 0x01, 0x00, 0x04, 0x21, 0x12 }, PeerV4, Seconds(0));

        Assert.Equal(new IceBindingResult(IceBindingOutcome.Ignored, 0), result);
    }

    [Fact]
    public void ConsentExpires_AfterTheTimeoutWithoutValidRequests()
    {
        Handle(new BindingRequest { UseCandidate = true }.Build(), PeerV4, Seconds(0));
        Handle(new BindingRequest().Build(), PeerV6, Seconds(1));
        Assert.Equal(Seconds(21), _server.NextTimeout);
        DrainEvents();

        _server.HandleTimeout(Seconds(20.9));
        Assert.Equal(IceState.Completed, _server.State);

        _server.HandleTimeout(Seconds(21));

        Assert.Equal(IceState.Disconnected, _server.State);
        Assert.Null(_server.SelectedTuple);
        Assert.Empty(_server.Tuples);
        Assert.Null(_server.NextTimeout);
        Assert.Equal(
            [
                new IceServerEvent(IceServerEventKind.TupleRemoved, IceState.Completed, PeerV6),
                new IceServerEvent(IceServerEventKind.TupleRemoved, IceState.Completed, PeerV4),
                new IceServerEvent(IceServerEventKind.StateChanged, IceState.Disconnected, null),
            ],
            DrainEvents());
    }

    [Fact]
    public void RejectedRequests_DoNotRefreshConsent()
    {
        Handle(new BindingRequest().Build(), PeerV4, Seconds(0));

        Handle(new BindingRequest { Password = "wrong" }.Build(), PeerV4, Seconds(15));
        _server.HandleTimeout(Seconds(20));

        Assert.Equal(IceState.Disconnected, _server.State);
    }

    [Fact]
    public void ValidRequestAfterConsentLoss_ReconnectsEvenWithoutAnExplicitTimeoutCall()
    {
        Handle(new BindingRequest().Build(), PeerV4, Seconds(0));
        DrainEvents();

        Handle(new BindingRequest().Build(), PeerV6, Seconds(45));

        Assert.Equal(IceState.Connected, _server.State);
        Assert.Equal(PeerV6, _server.SelectedTuple);
        Assert.Equal([PeerV6], _server.Tuples);
        Assert.Equal(
            [
                new IceServerEvent(IceServerEventKind.TupleRemoved, IceState.Connected, PeerV4),
                new IceServerEvent(IceServerEventKind.StateChanged, IceState.Disconnected, null),
                new IceServerEvent(IceServerEventKind.TupleAdded, IceState.Disconnected, PeerV6),
                new IceServerEvent(IceServerEventKind.SelectedTupleChanged, IceState.Disconnected, PeerV6),
                new IceServerEvent(IceServerEventKind.StateChanged, IceState.Connected, null),
            ],
            DrainEvents());
    }

    [Fact]
    public void ZeroConsentTimeout_DisablesTheCheck()
    {
        var server = new IceLiteServer(LocalUfrag, LocalPassword, TimeSpan.Zero);
        server.HandleBinding(new BindingRequest().Build(), PeerV4, UdpCandidatePriority, Seconds(0), _response);

        server.HandleTimeout(TimeSpan.FromDays(1));

        Assert.Null(server.NextTimeout);
        Assert.Equal(IceState.Connected, server.State);
    }

    [Fact]
    public void AfterIceRestart_PreviousCredentialsWorkUntilTheNewOnesAreUsed()
    {
        const string newUfrag = "newU";
        const string newPassword = "new-server-password-987654";
        Handle(new BindingRequest { UseCandidate = true }.Build(), PeerV4, Seconds(0));

        _server.RestartIce(newUfrag, newPassword, Seconds(1));

        Assert.Equal(newUfrag, _server.UsernameFragment);
        Assert.Equal(newPassword, _server.Password);
        IceBindingResult withPrevious = Handle(new BindingRequest().Build(), PeerV4, Seconds(2));
        Assert.Equal(IceBindingOutcome.Accepted, withPrevious.Outcome);
        Assert.True(StunMessageReader.TryParse(_response.AsSpan(0, withPrevious.ResponseLength), out StunMessageReader response));
        Assert.True(response.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(LocalPassword)));

        var renewed = new BindingRequest { Username = $"{newUfrag}:{RemoteUfrag}", Password = newPassword };
        Assert.Equal(IceBindingOutcome.Accepted, Handle(renewed.Build(), PeerV4, Seconds(3)).Outcome);
        Assert.Equal(IceBindingOutcome.Unauthorized, Handle(new BindingRequest().Build(), PeerV4, Seconds(4)).Outcome);
        Assert.Equal(IceState.Completed, _server.State);
    }

    [Fact]
    public void IceRestart_GivesThePeerAFullConsentPeriod()
    {
        Handle(new BindingRequest().Build(), PeerV4, Seconds(0));

        _server.RestartIce("newU", "new-server-password-987654", Seconds(15));

        Assert.Equal(Seconds(35), _server.NextTimeout);
    }

    [Fact]
    public void RemovingTheSelectedTuple_FallsBackToTheNewestRemainingOne()
    {
        var third = new IPEndPoint(IPAddress.Parse("198.51.100.3"), 3333);
        Handle(new BindingRequest { UseCandidate = true }.Build(), PeerV4, Seconds(0));
        Handle(new BindingRequest().Build(), PeerV6, Seconds(1));
        Handle(new BindingRequest().Build(), third, Seconds(2));
        DrainEvents();

        _server.RemoveTuple(PeerV4, Seconds(10));

        Assert.Equal(third, _server.SelectedTuple);
        Assert.Equal(IceState.Completed, _server.State);
        Assert.Equal(Seconds(30), _server.NextTimeout);
        Assert.Equal(
            [
                new IceServerEvent(IceServerEventKind.TupleRemoved, IceState.Completed, PeerV4),
                new IceServerEvent(IceServerEventKind.SelectedTupleChanged, IceState.Completed, third),
            ],
            DrainEvents());
    }

    [Fact]
    public void RemovingTheLastTuple_Disconnects()
    {
        Handle(new BindingRequest().Build(), PeerV4, Seconds(0));
        DrainEvents();

        _server.RemoveTuple(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 50_000), Seconds(1));

        Assert.Equal(IceState.Disconnected, _server.State);
        Assert.Null(_server.SelectedTuple);
        Assert.Equal(
            [
                new IceServerEvent(IceServerEventKind.TupleRemoved, IceState.Connected, PeerV4),
                new IceServerEvent(IceServerEventKind.StateChanged, IceState.Disconnected, null),
            ],
            DrainEvents());
    }

    [Fact]
    public void RemovingAnUnknownTuple_DoesNothing()
    {
        Handle(new BindingRequest().Build(), PeerV4, Seconds(0));
        DrainEvents();

        _server.RemoveTuple(PeerV6, Seconds(1));

        Assert.Equal(IceState.Connected, _server.State);
        Assert.Empty(DrainEvents());
    }

    [Fact]
    public void TupleCount_IsBoundedByEvictingTheOldestUnselectedTuple()
    {
        IPEndPoint[] peers = Enumerable.Range(1, 10)
            .Select(index => new IPEndPoint(IPAddress.Parse($"203.0.113.{index}"), 40_000 + index))
            .ToArray();
        Handle(new BindingRequest { UseCandidate = true }.Build(), peers[0], Seconds(0));
        foreach (IPEndPoint peer in peers[1..])
        {
            Handle(new BindingRequest().Build(), peer, Seconds(1));
        }

        Assert.Equal(8, _server.Tuples.Count);
        Assert.Equal(peers[0], _server.SelectedTuple);
        Assert.True(_server.IsValidTuple(peers[0]));
        Assert.False(_server.IsValidTuple(peers[1]));
        Assert.False(_server.IsValidTuple(peers[2]));
        Assert.True(_server.IsValidTuple(peers[9]));
    }

    [Fact]
    public void Close_ForgetsTuplesAndIgnoresFurtherRequests()
    {
        Handle(new BindingRequest().Build(), PeerV4, Seconds(0));
        DrainEvents();

        _server.Close();
        IceBindingResult result = Handle(new BindingRequest().Build(), PeerV4, Seconds(1));

        Assert.Equal(IceState.Closed, _server.State);
        Assert.Equal(new IceBindingResult(IceBindingOutcome.Ignored, 0), result);
        Assert.Null(_server.NextTimeout);
        Assert.Equal(
            [
                new IceServerEvent(IceServerEventKind.TupleRemoved, IceState.Connected, PeerV4),
                new IceServerEvent(IceServerEventKind.StateChanged, IceState.Closed, null),
            ],
            DrainEvents());
    }

    [Fact]
    public void AnsweringKnownTuples_DoesNotAllocate()
    {
        byte[] check = new BindingRequest { UseCandidate = true }.Build();
        Handle(check, PeerV6, Seconds(0));
        DrainEvents();

        SteadyState.AssertAllocatesNothing(window =>
        {
            for (int second = 1; second <= 100; second++)
            {
                Handle(check, PeerV6, Seconds(window * 100 + second));
            }
        });
    }

    [Fact]
    public void ResponseBufferSmallerThanTheLargestResponse_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => _server.HandleBinding(
            new BindingRequest().Build(), PeerV4, UdpCandidatePriority, Seconds(0), new byte[IceLiteServer.MaxResponseLength - 1]));
    }

    [Fact]
    public void EmptyCredentials_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new IceLiteServer("", LocalPassword, ConsentTimeout));
        Assert.Throws<ArgumentException>(() => _server.RestartIce(LocalUfrag, "", Seconds(0)));
    }

    [Theory]
    [InlineData(IceState.New, "new")]
    [InlineData(IceState.Connected, "connected")]
    [InlineData(IceState.Completed, "completed")]
    [InlineData(IceState.Disconnected, "disconnected")]
    [InlineData(IceState.Closed, "closed")]
    public void StatesUseMediasoupNames(IceState state, string name)
    {
        Assert.Equal(name, state.ToMediasoupName());
    }

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);

    private IceBindingResult Handle(byte[] request, IPEndPoint remote, TimeSpan now, uint localPriority = UdpCandidatePriority) =>
        _server.HandleBinding(request, remote, localPriority, now, _response);

    private List<IceServerEvent> DrainEvents()
    {
        var events = new List<IceServerEvent>();
        while (_server.TryDequeueEvent(out IceServerEvent serverEvent))
        {
            events.Add(serverEvent);
        }

        return events;
    }

    private void AssertErrorResponse(IceBindingResult result, IceBindingOutcome outcome, int code, bool authenticated)
    {
        Assert.Equal(outcome, result.Outcome);
        Assert.True(StunMessageReader.TryParse(_response.AsSpan(0, result.ResponseLength), out StunMessageReader response));
        Assert.Equal(StunMessageClass.ErrorResponse, response.Class);
        Assert.True(response.TryGetErrorCode(out int decodedCode, out _));
        Assert.Equal(code, decodedCode);
        Assert.Equal(authenticated, response.HasMessageIntegrity);
        if (authenticated)
        {
            Assert.True(response.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(LocalPassword)));
        }

        Assert.True(response.VerifyFingerprint());
    }

    /// <summary>A connectivity check as a controlling full agent sends it, with knobs to break it.</summary>
    private sealed class BindingRequest
    {
        private static int s_nextTransaction;

        public StunMessageClass Class { get; init; } = StunMessageClass.Request;
        public StunMethod Method { get; init; } = StunMethod.Binding;
        public string? Username { get; init; } = $"{LocalUfrag}:{RemoteUfrag}";
        public string Password { get; init; } = LocalPassword;
        public uint? Priority { get; init; } = 0x6e0001ff;
        public bool UseCandidate { get; init; }
        public bool Controlled { get; init; }
        public bool Integrity { get; init; } = true;
        public bool Fingerprint { get; init; } = true;

        public byte[] Build()
        {
            byte[] transactionId = BitConverter.GetBytes(Interlocked.Increment(ref s_nextTransaction))
                .Concat(new byte[8])
                .ToArray();
            var buffer = new byte[256];
            var writer = new StunMessageWriter(buffer, Class, Method, transactionId);
            if (Username is not null)
            {
                writer.WriteUsername(Username);
            }

            if (Priority is uint priority)
            {
                writer.WritePriority(priority);
            }

            if (Controlled)
            {
                writer.WriteIceControlled(0x1122334455667788);
            }
            else
            {
                writer.WriteIceControlling(0x1122334455667788);
            }

            if (UseCandidate)
            {
                writer.WriteUseCandidate();
            }

            if (Integrity)
            {
                writer.WriteMessageIntegrity(Encoding.UTF8.GetBytes(Password));
            }

            if (Fingerprint)
            {
                writer.WriteFingerprint();
            }

            return buffer[..writer.Length];
        }
    }
}
