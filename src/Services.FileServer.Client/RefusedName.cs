namespace Services.FileServer.Client;

/// <summary>A listed name that <see cref="RemoteName"/> refused: left out of the listing's entries.</summary>
/// <param name="Shown">The name percent-encoded (as it would go into a URI), safe to print.</param>
/// <param name="Reason">What is wrong with it, e.g. "a name with a slash, backslash or NUL".</param>
public sealed record RefusedName(string Shown, string Reason);
