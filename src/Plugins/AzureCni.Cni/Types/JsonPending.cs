// INTERIM: stands in for the JSON generator (branch json) until it lands; deleted on merge.
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AzureCni.Json
{
    public sealed class JsonFieldBag;
}

namespace AzureCni.Cni.Types
{
    using AzureCni.Json;

    internal static class JsonEncoding
    {
        public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    }

    public sealed partial class NetConf : ICniJsonObject<NetConf>
    {
        public static NetConf ReadJson(ref Utf8JsonReader reader) => throw new NotSupportedException("JSON generator pending");
        public void WriteJson(Utf8JsonWriter writer) => throw new NotSupportedException("JSON generator pending");
    }

    public sealed partial class AnyResult : ICniJsonObject<AnyResult>
    {
        public static AnyResult ReadJson(ref Utf8JsonReader reader) => throw new NotSupportedException("JSON generator pending");
        public void WriteJson(Utf8JsonWriter writer) => throw new NotSupportedException("JSON generator pending");
    }

    public sealed partial class Result020 : ICniJsonObject<Result020>
    {
        public static Result020 ReadJson(ref Utf8JsonReader reader) => throw new NotSupportedException("JSON generator pending");
        public void WriteJson(Utf8JsonWriter writer) => throw new NotSupportedException("JSON generator pending");
    }

    public sealed partial class Result040 : ICniJsonObject<Result040>
    {
        public static Result040 ReadJson(ref Utf8JsonReader reader) => throw new NotSupportedException("JSON generator pending");
        public void WriteJson(Utf8JsonWriter writer) => throw new NotSupportedException("JSON generator pending");
    }

    public sealed partial class Result100 : ICniJsonObject<Result100>
    {
        public static Result100 ReadJson(ref Utf8JsonReader reader) => throw new NotSupportedException("JSON generator pending");
        public void WriteJson(Utf8JsonWriter writer) => throw new NotSupportedException("JSON generator pending");
    }

    public sealed partial class ErrorDoc : ICniJsonObject<ErrorDoc>
    {
        public static ErrorDoc ReadJson(ref Utf8JsonReader reader) => throw new NotSupportedException("JSON generator pending");
        public void WriteJson(Utf8JsonWriter writer) => throw new NotSupportedException("JSON generator pending");
    }

    public sealed partial class VersionDoc : ICniJsonObject<VersionDoc>
    {
        public static VersionDoc ReadJson(ref Utf8JsonReader reader) => throw new NotSupportedException("JSON generator pending");
        public void WriteJson(Utf8JsonWriter writer) => throw new NotSupportedException("JSON generator pending");
    }
}
