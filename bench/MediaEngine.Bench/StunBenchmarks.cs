using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using MediaEngine.Ice;

namespace MediaEngine.Bench;

/// <summary>
/// The ICE-lite server answering a browser's binding request (USERNAME, PRIORITY, ICE-CONTROLLING,
/// USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT): parse, verify integrity and fingerprint, write the
/// success response with XOR-MAPPED-ADDRESS, integrity and fingerprint. One call = one request answered.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20)]
public class StunBenchmarks
{
    private const string LocalUfrag = "serverufragserverufragserveruf32";
    private const string Password = "serverpasswordserverpasswordpw32";
    private readonly byte[] _request = new byte[128];
    private readonly byte[] _response = new byte[IceLiteServer.MaxResponseLength];
    private readonly IPEndPoint _remote = new(IPAddress.Loopback, 50000);
    private IceLiteServer _server = null!;
    private int _requestLength;
    private TimeSpan _now;

    [GlobalSetup]
    public void Setup()
    {
        _server = new IceLiteServer(LocalUfrag, Password, TimeSpan.FromSeconds(30));
        var writer = new StunMessageWriter(_request, StunMessageClass.Request, StunMethod.Binding, "0123456789ab"u8);
        writer.WriteUsername($"{LocalUfrag}:browser");
        writer.WritePriority(1_845_501_695);
        writer.WriteIceControlling(7);
        writer.WriteUseCandidate();
        writer.WriteMessageIntegrity(Encoding.UTF8.GetBytes(Password));
        writer.WriteFingerprint();
        _requestLength = writer.Length;
    }

    [Benchmark]
    public int HandleBindingRequest()
    {
        _now += TimeSpan.FromMilliseconds(1);
        var result = _server.HandleBinding(_request.AsSpan(0, _requestLength), _remote, _now, _response);
        while (_server.TryDequeueEvent(out _))
        {
        }
        return result.ResponseLength;
    }
}
