namespace MediaEngine.Rtp;

/// <summary>What codec matching looks at; shared by codec capabilities and codec parameters.</summary>
public interface IRtpCodec
{
    string MimeType { get; }

    int ClockRate { get; }

    int? Channels { get; }

    /// <summary>Format parameters; values are <see cref="string"/>, <see cref="long"/> or <see cref="double"/>.</summary>
    Dictionary<string, object> Parameters { get; }
}
