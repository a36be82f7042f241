namespace MediaEngine.Ice;

/// <summary>STUN attribute types used by STUN (RFC 5389) and ICE (RFC 8445).</summary>
public enum StunAttributeType : ushort
{
    Username = 0x0006,
    MessageIntegrity = 0x0008,
    ErrorCode = 0x0009,
    Realm = 0x0014,
    Nonce = 0x0015,
    XorMappedAddress = 0x0020,
    Priority = 0x0024,
    UseCandidate = 0x0025,
    Software = 0x8022,
    Fingerprint = 0x8028,
    IceControlled = 0x8029,
    IceControlling = 0x802A,
}
