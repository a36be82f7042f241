namespace MediaEngine.Ice;

public enum IceServerEventKind
{
    /// <summary><see cref="IceServerEvent.State"/> holds the new state.</summary>
    StateChanged,

    /// <summary><see cref="IceServerEvent.Tuple"/> holds the tuple media must now be sent to.</summary>
    SelectedTupleChanged,

    /// <summary><see cref="IceServerEvent.Tuple"/> became a valid tuple for this transport.</summary>
    TupleAdded,

    /// <summary><see cref="IceServerEvent.Tuple"/> is no longer valid for this transport.</summary>
    TupleRemoved,
}
