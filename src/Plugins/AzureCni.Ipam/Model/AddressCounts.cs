namespace AzureCni.Ipam.Model;

/// <summary>A pool's address records by state (<see cref="AddressPool.Count"/>).</summary>
public readonly record struct AddressCounts(int InUse, int Free, int Stale);
