namespace MediaEngine.Rtcp;

/// <summary>SDES item types (RFC 3550 §6.5); <see cref="End"/> terminates a chunk's item list.</summary>
public enum SdesItemType : byte
{
    End = 0,
    Cname = 1,
    Name = 2,
    Email = 3,
    Phone = 4,
    Location = 5,
    Tool = 6,
    Note = 7,
    Private = 8,
}
