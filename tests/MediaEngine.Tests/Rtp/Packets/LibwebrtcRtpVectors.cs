namespace MediaEngine.Tests.Rtp.Packets;

/// <summary>Packets from libwebrtc's rtp_packet_unittest.cc (payload type 100, sequence number 0x1234).</summary>
internal static class LibwebrtcRtpVectors
{
    public const byte PayloadType = 100;
    public const ushort SequenceNumber = 0x1234;
    public const uint Timestamp = 0x65431278;
    public const uint Ssrc = 0x12345678;
    public const int TransmissionOffsetId = 1;
    public const int AudioLevelId = 9;
    public const int RtpStreamIdId = 0xA;
    public const int TwoByteOnlyId = 0xF0;
    public const byte AudioLevel = 0x5A;

    public static byte[] MinimumPacket =>
    [
        0x80, PayloadType, 0x12, 0x34,
        0x65, 0x43, 0x12, 0x78,
        0x12, 0x34, 0x56, 0x78,
    ];

    public static byte[] PacketWithTransmissionOffsetAndAudioLevel =>
    [
        0x90, PayloadType, 0x12, 0x34,
        0x65, 0x43, 0x12, 0x78,
        0x12, 0x34, 0x56, 0x78,
        0xBE, 0xDE, 0x00, 0x02,
        0x12, 0x00, 0x56, 0xCE,
        0x90, 0x80 | AudioLevel, 0x00, 0x00,
    ];

    public static byte[] PacketWithRsid =>
    [
        0x90, PayloadType, 0x12, 0x34,
        0x65, 0x43, 0x12, 0x78,
        0x12, 0x34, 0x56, 0x78,
        0xBE, 0xDE, 0x00, 0x03,
        0xA7, (byte)'s', (byte)'t', (byte)'r',
        (byte)'e', (byte)'a', (byte)'m', (byte)'i',
        (byte)'d', 0x00, 0x00, 0x00,
    ];

    /// <summary>Two CSRCs, a transmission offset extension, a 7-byte payload and 8 bytes of padding.</summary>
    public static byte[] PacketWithCsrcsExtensionAndPadding =>
    [
        0xB2, PayloadType, 0x12, 0x34,
        0x65, 0x43, 0x12, 0x78,
        0x12, 0x34, 0x56, 0x78,
        0x34, 0x56, 0x78, 0x90,
        0x32, 0x43, 0x54, 0x65,
        0xBE, 0xDE, 0x00, 0x01,
        0x12, 0x00, 0x56, 0xCE,
        (byte)'p', (byte)'a', (byte)'y', (byte)'l', (byte)'o', (byte)'a', (byte)'d',
        (byte)'p', (byte)'a', (byte)'d', (byte)'d', (byte)'i', (byte)'n', (byte)'g', 8,
    ];

    /// <summary>Two-byte form: transmission offset, audio level, then a playout delay with id 0xF0.</summary>
    public static byte[] PacketWithTwoByteExtensionIdLast =>
    [
        0x90, PayloadType, 0x12, 0x34,
        0x65, 0x43, 0x12, 0x78,
        0x12, 0x34, 0x56, 0x78,
        0x10, 0x00, 0x00, 0x04,
        0x01, 0x03, 0x00, 0x56,
        0xCE, 0x09, 0x01, 0x80 | AudioLevel,
        TwoByteOnlyId, 0x03, 0x00, 0x30,
        0x22, 0x00, 0x00, 0x00,
    ];
}
