using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

/// <summary>Owns an HCS_SYSTEM handle from HcsOpenComputeSystem.</summary>
[SupportedOSPlatform("windows")]
internal sealed class SafeHcsSystemHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeHcsSystemHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => Interop.VmCompute.HcsCloseComputeSystem(handle) >= 0;
}
