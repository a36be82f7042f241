namespace MediaEngine.Ice;

/// <summary>
/// Result of <see cref="IceLiteServer.HandleBinding"/>: send <c>response[..ResponseLength]</c>
/// back to the remote endpoint when <see cref="ResponseLength"/> is non-zero.
/// </summary>
public readonly record struct IceBindingResult(IceBindingOutcome Outcome, int ResponseLength);
