namespace Services.Terminal;

/// <summary>Which part of the terminal service a request addresses.</summary>
internal enum SessionPart
{
    /// <summary>The mount itself, where POST starts a session.</summary>
    Collection,

    /// <summary>"{id}/": the session.</summary>
    Session,

    Out,
    In,
    Size,
    Status,

    /// <summary>Anything else below the mount.</summary>
    Unknown,
}
