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
