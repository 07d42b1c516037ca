namespace AzureCni.Generators.Json.Model;

/// <summary>How a member type maps to JSON; each kind has one reader and one writer in the emitter.</summary>
internal enum JsonTypeKind
{
    String,
    Boolean,
    SByte,
    Byte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Double,
    /// <summary>Another [CniJsonObject] type (or one implementing ICniJsonObject of itself).</summary>
    Object,
    /// <summary>AzureCni.Json.RawJson: any value, kept as text.</summary>
    RawJson,
    /// <summary>AzureCni.Json.JsonFieldBag used as an ordinary member: a free-form object.</summary>
    FieldBag,
    List,
    Array,
    /// <summary>Dictionary&lt;string, T&gt;.</summary>
    Dictionary,
}
