namespace MediaEngine.Ice;

/// <summary>The two class bits of a STUN message type (RFC 5389 §6).</summary>
public enum StunMessageClass
{
    Request = 0,
    Indication = 1,
    SuccessResponse = 2,
    ErrorResponse = 3,
}
