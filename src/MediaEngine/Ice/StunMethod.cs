namespace MediaEngine.Ice;

/// <summary>
/// The 12-bit STUN method. Only Binding is used by ICE; other values are carried as-is so that
/// requests for unsupported methods can still be answered with an error.
/// </summary>
public enum StunMethod : ushort
{
    Binding = 0x001,
}
