namespace MediaEngine.Ice;

/// <summary>What <see cref="IceLiteServer.HandleBinding"/> did with a datagram.</summary>
public enum IceBindingOutcome
{
    /// <summary>Not a STUN request we answer (malformed, bad fingerprint, indication, response, or server closed); nothing to send.</summary>
    Ignored,

    /// <summary>A valid binding request; the response is a success response and the tuple is known.</summary>
    Accepted,

    /// <summary>Answered 400: unknown method or missing FINGERPRINT, USERNAME, MESSAGE-INTEGRITY or PRIORITY.</summary>
    BadRequest,

    /// <summary>Answered 401: USERNAME not addressed to us or MESSAGE-INTEGRITY wrong.</summary>
    Unauthorized,

    /// <summary>Answered 487: the peer claims the controlled role, which an ICE-lite server always has.</summary>
    RoleConflict,
}
