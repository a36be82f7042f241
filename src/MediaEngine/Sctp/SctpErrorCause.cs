using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>An error cause of an ABORT or ERROR chunk (RFC 9260 §3.3.10): code, length and cause-specific information.</summary>
public readonly ref struct SctpErrorCause
{
    public const int HeaderLength = 4;

    private SctpErrorCause(SctpErrorCauseCode code, ReadOnlySpan<byte> information)
    {
        Code = code;
        Information = information;
    }

    public SctpErrorCauseCode Code { get; }

    public ReadOnlySpan<byte> Information { get; }

    /// <summary>The first cause of a list, the one ABORT and ERROR receivers report.</summary>
    public static bool TryReadFirst(ReadOnlySpan<byte> causes, out SctpErrorCause cause)
    {
        var enumerator = new SctpParameterEnumerator(causes);
        if (!enumerator.MoveNext())
        {
            cause = default;
            return false;
        }

        var parameter = enumerator.Current;
        cause = new SctpErrorCause((SctpErrorCauseCode)BinaryPrimitives.ReadUInt16BigEndian(parameter.Bytes), parameter.Value);
        return true;
    }

    /// <summary>Writes a cause and returns its length without padding.</summary>
    public static int Write(Span<byte> destination, SctpErrorCauseCode code, ReadOnlySpan<byte> information) =>
        SctpParameter.Write(destination, (SctpParameterType)code, information);
}
