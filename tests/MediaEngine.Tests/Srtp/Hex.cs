namespace MediaEngine.Tests.Srtp;

internal static class Hex
{
    /// <summary>Parses hex written as in the RFCs: any case, with spaces and line breaks between groups.</summary>
    public static byte[] Bytes(string hex) =>
        Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));
}
