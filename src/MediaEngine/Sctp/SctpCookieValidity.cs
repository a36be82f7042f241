namespace MediaEngine.Sctp;

internal enum SctpCookieValidity
{
    Valid,

    /// <summary>Wrong length or MAC: not a cookie this association issued.</summary>
    Forged,

    /// <summary>Genuine but older than Valid.Cookie.Life.</summary>
    Stale,
}
