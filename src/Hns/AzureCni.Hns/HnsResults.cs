namespace AzureCni.Hns;

/// <summary>The HRESULTs this library tells apart (winerror.h; HCN values from the HCN error code reference).</summary>
public static class HnsResults
{
    public const int S_OK = 0;
    public const int E_FAIL = unchecked((int)0x80004005);
    public const int E_UNEXPECTED = unchecked((int)0x8000FFFF);
    public const int E_INVALIDARG = unchecked((int)0x80070057);

    /// <summary>HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND).</summary>
    public const int FileNotFound = unchecked((int)0x80070002);

    /// <summary>HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND): the HNS library cannot be loaded (no Containers feature).</summary>
    public const int ModuleNotFound = unchecked((int)0x8007007E);

    /// <summary>HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND): the HNS library lacks an entry point (an older Windows).</summary>
    public const int ProcedureNotFound = unchecked((int)0x8007007F);

    /// <summary>HRESULT_FROM_WIN32(ERROR_NOT_FOUND): what HNS answers for an unknown namespace or container.</summary>
    public const int ElementNotFound = unchecked((int)0x80070490);

    /// <summary>HRESULT_FROM_WIN32(ERROR_ALREADY_EXISTS).</summary>
    public const int AlreadyExists = unchecked((int)0x800700B7);

    /// <summary>HRESULT_FROM_WIN32(ERROR_TIMEOUT): what this library reports when an HNS call outlives its timeout.</summary>
    public const int Timeout = unchecked((int)0x800705B4);

    /// <summary>HCS_E_SYSTEM_NOT_FOUND: HcsOpenComputeSystem for a container that does not exist.</summary>
    public const int HCS_E_SYSTEM_NOT_FOUND = unchecked((int)0xC037010E);

    public const int HCN_E_NETWORK_NOT_FOUND = unchecked((int)0x803B0001);
    public const int HCN_E_ENDPOINT_NOT_FOUND = unchecked((int)0x803B0002);
    public const int HCN_E_INVALID_NETWORK = unchecked((int)0x803B000A);
    public const int HCN_E_INVALID_ENDPOINT = unchecked((int)0x803B000C);
    public const int HCN_E_INVALID_POLICY = unchecked((int)0x803B000D);
    public const int HCN_E_INVALID_POLICY_TYPE = unchecked((int)0x803B000E);
    public const int HCN_E_NETWORK_ALREADY_EXISTS = unchecked((int)0x803B0010);
    public const int HCN_E_ENDPOINT_ALREADY_ATTACHED = unchecked((int)0x803B0014);
    public const int HCN_E_INVALID_JSON = unchecked((int)0x803B001B);
    public const int HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS = unchecked((int)0x803B002B);
    public const int HCN_E_ENTITY_HAS_REFERENCES = unchecked((int)0x803B002C);

    public static bool IsNotFound(int hr)
        => hr is HCN_E_NETWORK_NOT_FOUND or HCN_E_ENDPOINT_NOT_FOUND or ElementNotFound or FileNotFound or HCS_E_SYSTEM_NOT_FOUND;

    public static bool IsUnavailable(int hr) => hr is ModuleNotFound or ProcedureNotFound;

    public static bool IsAlreadyExists(int hr)
        => hr is HCN_E_NETWORK_ALREADY_EXISTS or AlreadyExists or HCN_E_ENDPOINT_ALREADY_ATTACHED or HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS;
}
