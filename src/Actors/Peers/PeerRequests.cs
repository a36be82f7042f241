using System.Text.Json;

namespace Actors.Peers;

/// <summary>A protoo request from a peer, already parsed into a typed command.</summary>
public interface IPeerRequest
{
    /// <summary>The protoo method name, for logs and error texts.</summary>
    string Method { get; }
}

public sealed record GetRouterRtpCapabilities : IPeerRequest
{
    public string Method => "getRouterRtpCapabilities";
}

public sealed record Join(
    string? DisplayName,
    JsonElement? Device,
    JsonElement? RtpCapabilities,
    JsonElement? SctpCapabilities) : IPeerRequest
{
    public string Method => "join";
}

public sealed record ChangeDisplayName(string DisplayName) : IPeerRequest
{
    public string Method => "changeDisplayName";
}

/// <summary>
/// A method of the protocol whose media part this server does not have yet: answered with an
/// error (after the joined check the method would have had), never with silence.
/// </summary>
public sealed record NotYetSupported(string Method, bool RequiresJoin) : IPeerRequest;

/// <summary>applyNetworkThrottle / resetNetworkThrottle: allowed only with the configured secret.</summary>
public sealed record NetworkThrottle(bool Apply, string? Secret) : IPeerRequest
{
    public string Method => Apply ? "applyNetworkThrottle" : "resetNetworkThrottle";
}

public sealed record CreateWebRtcTransport(bool ForceTcp, bool Producing, bool Consuming, JsonElement? SctpCapabilities) : IPeerRequest
{
    public string Method => "createWebRtcTransport";
}

/// <summary>One entry of dtlsParameters.fingerprints.</summary>
public sealed record FingerprintParameter(string Algorithm, string Value);

public sealed record ConnectWebRtcTransport(string TransportId, string Role, IReadOnlyList<FingerprintParameter> Fingerprints) : IPeerRequest
{
    public string Method => "connectWebRtcTransport";
}

public sealed record RestartIce(string TransportId) : IPeerRequest
{
    public string Method => "restartIce";
}

public sealed record GetTransportStats(string TransportId) : IPeerRequest
{
    public string Method => "getTransportStats";
}
