namespace Services.FileServer.Client;

/// <summary>What the client was doing when an error came back; it picks the words of the error message.</summary>
internal enum FileOperation
{
    List,
    Read,
    Write,
    Create,
    Overwrite,
    Delete,
    CreateDirectory,
}
