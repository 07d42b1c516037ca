namespace AzureCni.Cni;

/// <summary>Error codes of the CNI spec (SPEC §5 and libcni); 100 and above are the plugins' own.</summary>
public enum CniErrorCode
{
    Unknown = 0,
    IncompatibleCniVersion = 1,
    UnsupportedField = 2,
    UnknownContainer = 3,
    InvalidEnvironmentVariables = 4,
    IOFailure = 5,
    DecodingFailure = 6,
    InvalidNetworkConfig = 7,
    InvalidNetNS = 8,
    TryAgainLater = 11,
    PluginNotAvailable = 50,
    LimitedConnectivity = 51,

    /// <summary>The plugins' generic runtime failure, as upstream Azure CNI reports it.</summary>
    Runtime = 100,

    /// <summary>No free address in any pool that fits the request.</summary>
    NoAddressAvailable = 101,

    Internal = 999,
}
