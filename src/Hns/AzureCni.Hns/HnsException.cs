using System.Text.Json;

namespace AzureCni.Hns;

/// <summary>
/// A failed HNS or HCN call: its HRESULT, the operation, and the error record HNS returned (a JSON
/// document, kept as text). Not-found, already-exists and timeouts are told apart by <see cref="IsNotFound"/>,
/// <see cref="IsAlreadyExists"/> and <see cref="IsTimeout"/>; a host without HNS at all by <see cref="IsUnavailable"/>.
/// </summary>
public sealed class HnsException : Exception
{
    public HnsException(string message, int hresult, string? operation = null, string? errorRecord = null, Exception? inner = null)
        : base(message, inner)
    {
        HResult = hresult;
        Operation = operation;
        ErrorRecord = errorRecord;
    }

    /// <summary>The HCN or HNS entry point that failed, e.g. "HcnOpenEndpoint".</summary>
    public string? Operation { get; }

    /// <summary>The error record HNS returned with the failure, if any.</summary>
    public string? ErrorRecord { get; }

    public bool IsNotFound => HnsResults.IsNotFound(HResult);

    public bool IsAlreadyExists => HnsResults.IsAlreadyExists(HResult);

    public bool IsTimeout => HResult == HnsResults.Timeout;

    /// <summary>The HNS library could not be loaded, or lacks an entry point: no HNS call can succeed on this host.</summary>
    public bool IsUnavailable => HnsResults.IsUnavailable(HResult);

    /// <summary>The exception for a failed HRESULT; the message is the error record's "Error" text when it has one.</summary>
    public static HnsException FromHResult(string operation, int hresult, string? errorRecord)
    {
        string detail = ErrorText(errorRecord) ?? "no error record";
        return new HnsException($"{operation} failed with 0x{hresult:X8}: {detail}", hresult, operation, errorRecord);
    }

    public static HnsException NotFound(string operation, string what)
        => new($"{operation}: {what} not found.", HnsResults.ElementNotFound, operation);

    public static HnsException Timeout(string operation, TimeSpan timeout)
        => new($"{operation} did not finish within {timeout.TotalSeconds:0.###} s.", HnsResults.Timeout, operation);

    /// <summary>
    /// <paramref name="library"/> could not be loaded (<see cref="DllNotFoundException"/>: Windows without the Containers
    /// feature) or lacks an entry point (<see cref="EntryPointNotFoundException"/>); the message is one line, the
    /// loader's own text stays in the inner exception.
    /// </summary>
    public static HnsException Unavailable(string library, Exception loaderError) => loaderError is EntryPointNotFoundException
        ? new($"{library} lacks an entry point: {loaderError.Message}", HnsResults.ProcedureNotFound, library, inner: loaderError)
        : new($"{library} not found", HnsResults.ModuleNotFound, library, inner: loaderError);

    // An HCN error record is {"Error": "...", "ErrorCode": n, "Success": false}; anything else is shown as is.
    private static string? ErrorText(string? errorRecord)
    {
        if (string.IsNullOrWhiteSpace(errorRecord))
            return null;
        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(errorRecord));
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isError = reader.ValueTextEquals("Error"u8);
                    reader.Read();
                    if (isError && reader.TokenType == JsonTokenType.String)
                        return reader.GetString();
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (HcnDocuments.IsMalformed(e))
        {
            // Not JSON, or a string no .NET string can hold (a lone surrogate): the text itself is the best description.
        }
        return errorRecord.Trim();
    }
}
