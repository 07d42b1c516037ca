namespace AzureCni.Vnet.Transactions;

/// <summary>
/// Test hook: AZURE_CNI_FAIL_AT=&lt;step&gt; makes that step of an ADD throw, so the tests can prove that a failure at
/// any point unwinds completely. It is ignored unless AZURE_CNI_TEST_HOOKS=1 is set as well: a variable left on a node
/// by accident must never fail a pod.
/// </summary>
internal sealed class FailurePoints
{
    public const string Variable = "AZURE_CNI_FAIL_AT";

    /// <summary>The explicit opt-in without which <see cref="Variable"/> is ignored.</summary>
    public const string OptIn = "AZURE_CNI_TEST_HOOKS";

    /// <summary>No step fails.</summary>
    public static readonly FailurePoints None = new(null);

    private readonly string? _step;

    private FailurePoints(string? step) => _step = step;

    public static FailurePoints From(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue(OptIn, out string? optIn) && optIn == "1"
        && environment.TryGetValue(Variable, out string? step) && step.Length > 0
            ? new FailurePoints(step)
            : None;

    public void At(string step)
    {
        if (_step == step)
            throw new Cni.CniException(Cni.CniErrorCode.Runtime, $"azure-vnet: injected failure at {step}");
    }
}
