namespace AzureCni.Cni;

/// <summary>
/// A failure reported to the runtime as a CNI error document: the host prints
/// {"cniVersion","code","msg","details"} on stdout and exits 1. Every plugin failure ends up as one.
/// </summary>
public sealed class CniException : Exception
{
    public CniException(CniErrorCode code, string message, string? details = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Details = details;
    }

    public CniErrorCode Code { get; }

    public string? Details { get; }
}
