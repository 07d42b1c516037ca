namespace AzureCni.Hns;

/// <summary>How HCN object IDs are written and read: GUID strings, matched case-insensitively.</summary>
public static class HcnIds
{
    public static string Format(Guid id) => id.ToString("D");

    public static bool TryParse(string? text, out Guid id) => Guid.TryParseExact(text, "D", out id);

    public static Guid Parse(string? text, string what)
        => TryParse(text, out Guid id) ? id : throw new HnsException($"HNS returned {what} \"{text}\", which is not a GUID.", HnsResults.E_UNEXPECTED);

    public static bool Same(string? a, Guid b) => TryParse(a, out Guid id) && id == b;
}
