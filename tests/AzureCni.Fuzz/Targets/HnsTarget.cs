using System.Text;
using AzureCni.Hns;
using AzureCni.Hns.Schema;
using AzureCni.Hns.Schema.V1;
using AzureCni.Json;

namespace AzureCni.Fuzz.Targets;

/// <summary>
/// What the Host Networking Service answers (UTF-16 strings across the API): the v1 envelope and its output, the HCN
/// documents, the ID lists. The only refusal is HnsException; a document read must write and read back.
/// </summary>
public static class HnsTarget
{
    public static void Run(byte[] input)
    {
        string json = Encoding.UTF8.GetString(input);
        string? output = Hns(() => HnsV1Response.Unwrap("fuzz", json));
        if (output is not null)
        {
            Hns(() => HcnDocuments.ReadArray<HnsEndpoint>(output, "fuzz"));
            RoundTrip(Hns(() => HcnDocuments.Read<HnsEndpoint>(output, "fuzz")));
        }

        RoundTrip(Hns(() => HcnDocuments.Read<HostComputeNetwork>(json, "fuzz")));
        RoundTrip(Hns(() => HcnDocuments.Read<HostComputeEndpoint>(json, "fuzz")));
        RoundTrip(Hns(() => HcnDocuments.Read<HostComputeNamespace>(json, "fuzz")));
        RoundTrip(Hns(() => HcnDocuments.Read<HnsEndpoint>(json, "fuzz")));
        Hns(() => HcnDocuments.ReadArray<HnsEndpoint>(json, "fuzz"));
        var ids = Hns(() => HcnDocuments.ReadIds(json, "fuzz"));
        if (ids is not null)
            HcnDocuments.ReadIds(HcnDocuments.WriteIds(ids), "fuzz round trip");
    }

    private static void RoundTrip<T>(T? document) where T : class, ICniJsonObject<T>
    {
        if (document is null)
            return;

        string written = HcnDocuments.Write(document);
        try
        {
            HcnDocuments.Read<T>(written, "fuzz round trip");
        }
        catch (HnsException e)
        {
            throw new FuzzInvariantException($"{typeof(T).Name} written as {written} does not read back: {e.Message}");
        }
    }

    private static T? Hns<T>(Func<T> read) where T : class => Refusal.Allow(read, static e => e is HnsException);
}
