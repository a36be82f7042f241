using MediaEngine.Sctp;
using MediaEngine.Transports;

namespace MediaEngine.DataChannels;

/// <summary>
/// A data producer's messages delivered to one peer on an SCTP stream of its transport
/// (mediasoup's DataConsumer), or, for a direct consumer, to a callback (the Bot reading a peer).
/// </summary>
public sealed class DataConsumer
{
    private readonly Action<uint, byte[]>? _direct;

    internal DataConsumer(string id, DataProducer dataProducer, WebRtcTransport? transport, SctpStreamParameters? streamParameters,
        Action<uint, byte[]>? direct)
    {
        Id = id;
        DataProducer = dataProducer;
        Transport = transport;
        StreamParameters = streamParameters;
        _direct = direct;
    }

    public string Id { get; }

    public DataProducer DataProducer { get; }

    public WebRtcTransport? Transport { get; }

    /// <summary>The stream on the consumer's transport; null for a direct consumer.</summary>
    public SctpStreamParameters? StreamParameters { get; }

    public long MessagesSent { get; private set; }

    public long BytesSent { get; private set; }

    public long MessagesDropped { get; private set; }

    /// <summary>
    /// What its transport's SCTP association has sent and not yet seen acknowledged, as mediasoup
    /// reports a data consumer's bufferedAmount (the association's, shared by its data consumers); 0 for a direct one.
    /// </summary>
    public long BufferedAmount => Transport?.SctpBufferedAmount ?? 0;

    internal void Send(uint ppid, byte[] payload)
    {
        if (_direct is not null)
        {
            _direct(ppid, payload);
            MessagesSent++;
            BytesSent += payload.Length;
            return;
        }
        if (Transport!.SendSctpMessage(StreamParameters!, ppid, payload))
        {
            MessagesSent++;
            BytesSent += payload.Length;
        }
        else
        {
            MessagesDropped++;
        }
    }
}
