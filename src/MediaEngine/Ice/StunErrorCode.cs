namespace MediaEngine.Ice;

/// <summary>The STUN error codes an ICE-lite server answers with (RFC 5389 §15.6, RFC 8445 §7.3.1.1).</summary>
public enum StunErrorCode
{
    BadRequest = 400,
    Unauthorized = 401,
    RoleConflict = 487,
}
